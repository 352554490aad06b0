import type { Controller } from "@hotwired/stimulus";
import type { CallAck, JsonValue } from "../protocol/index.js";
import type { CallCallbacks, CallDetail } from "./calls/call_lifecycle.js";
import { getLiveViewClient } from "./connect_live_view.js";

/** What `this.call(functionName, options)` takes; every key optional. */
export interface LiveViewCallOptions {
  /** Sent in `content.data` on top of the element's `data-data-*` (these keys win). */
  data?: Record<string, JsonValue>;
  /** Sent in `content.form` on top of the element's form values (these keys win). */
  form?: Record<string, JsonValue>;
  /** Sent in `content.params` on top of the element's `data-IDENTIFIER-*-param` attributes (these keys win). */
  params?: Record<string, JsonValue>;
  /** The element the call is made from: its data, form and params are read, its events fire. Default: `this.element`. */
  element?: Element;
}

/**
 * A Stimulus controller class. TypeScript's mixin rule wants a constructor of `any[]` here; the controller's own
 * constructor (Stimulus's `Context`) is what runs.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type ControllerClass = abstract new (...args: any[]) => Controller;

/**
 * Gives a Stimulus controller `this.call(functionName, { data, form, params, element })`, which calls a server handler
 * from the controller's element (or `element`) exactly as `page#run` does: its `data-data-*` and form values, the
 * submit button when it is one, and its action params for this controller's identifier (`data-chart-id-param` for a
 * `chart` controller). It resolves with the call's ack, once the updates it brought are in; a call a
 * `liveview:before-call` listener cancelled resolves with `{ ok: false, code: "cancelled" }`. The controller's own
 * `beforeCall`, `callSuccess`, `callFailure` and `afterCall` are called around each of its calls when it defines them.
 *
 * ```ts
 * import { Controller } from "@hotwired/stimulus";
 * import { LiveViewMixin, type CallDetail } from "express-liveview/client";
 *
 * export default class extends LiveViewMixin(Controller) {
 *   async save() {
 *     const ack = await this.call("save_todo", { data: { draft: "false" } });
 *     if (!ack.ok) this.element.classList.add("failed");
 *   }
 *   callSuccess({ functionName }: CallDetail) { this.element.classList.add("saved"); }
 * }
 * ```
 */
export function LiveViewMixin<Base extends ControllerClass>(Base: Base) {
  abstract class LiveViewController extends Base implements CallCallbacks {
    beforeCall?(detail: CallDetail): void;
    callSuccess?(detail: CallDetail): void;
    callFailure?(detail: CallDetail): void;
    afterCall?(detail: CallDetail): void;

    /** Calls the handler `functionName` from this controller's element; resolves with its ack. */
    call(functionName: string, options: LiveViewCallOptions = {}): Promise<CallAck> {
      const { element = this.element, data, form, params } = options;
      return getLiveViewClient().callFrom(element, functionName, { identifier: this.identifier, data, form, params, callbacks: this });
    }
  }
  return LiveViewController;
}
