import { ATTRIBUTES, type JsonValue } from "../../protocol/index.js";
import { collectData, collectForm } from "./collect_payload.js";
import { collectParams } from "./collect_params.js";

type Values = Record<string, JsonValue>;

/** How a call from an element collects what it sends; every key optional. */
export interface CollectOptions {
  /** The Stimulus identifier whose `data-IDENTIFIER-*-param` attributes are the call's params. Default `page`. */
  identifier?: string;
  /** The params Stimulus already read for the action (`event.params`): used as they are instead of reading them. */
  actionParams?: Values;
  /** A submit event's submitter: its `name` and `value` go with the form, as a browser's own submit sends them. */
  submitter?: Element | null;
  /** Plain `data-*` attributes go in `data` too (`connectLiveView({ plainData: true })`; `<html data-liveview-plain-data>` also turns it on). */
  plainData?: boolean;
}

/** What a call from an element sends besides its function name. */
export interface CollectedCall {
  data: Values;
  form: Values;
  params: Values;
}

const DEFAULT_IDENTIFIER = "page";

/**
 * Reads what a call from `el` sends, now: its `data-data-*` (and plain `data-*` when asked), its form values with the
 * submit button a browser would send, and its Stimulus action parameters. The page and a test page (testing/) both
 * collect with this, so a handler gets the same content from either.
 *
 * ```ts
 * // <button data-data-id="7" data-page-count-param="2">
 * collectCall(button, {}); // { data: { id: "7" }, form: {}, params: { count: 2 } }
 * ```
 */
export function collectCall(el: Element, options: CollectOptions): CollectedCall {
  const plain = options.plainData === true || el.ownerDocument.documentElement.hasAttribute(ATTRIBUTES.plainData);
  return {
    data: collectData(el, plain),
    form: collectForm(el, options.submitter),
    params: options.actionParams ?? collectParams(el, options.identifier ?? DEFAULT_IDENTIFIER),
  };
}
