import { Controller } from "@hotwired/stimulus";
import { ATTRIBUTES, type JsonValue } from "../protocol/index.js";
import { PageBehaviours } from "./behaviours/page_behaviours.js";
import { readMs } from "./behaviours/timing.js";
import { getLiveViewClient } from "./connect_live_view.js";
import { preventsDefault } from "./dom/run_defaults.js";
import type { CallCallbacks, CallDetail } from "./calls/call_lifecycle.js";

/**
 * The `page` controller: `data-action="click->page#run"` calls the handler named by the element's
 * `data-liveview-function`, with its `data-data-*` attributes, form values and action params
 * (`data-page-id-param="3"` -> `content.params.id === 3`). Each call dispatches the lifecycle events
 * (`liveview:before-call`, cancelable; `liveview:success` or `liveview:failure`; `liveview:after-call`) on the element,
 * and a subclass may define `beforeCall`, `callSuccess`, `callFailure`, `afterCall` (see LiveViewMixin). `page#stop` stops
 * the event from reaching outer elements. It also wires the interaction attributes
 * (`data-liveview-intersect-*`, `-focus`, `-init`, `-keyboard-map`, `-debounce`, `-throttle`, `-poll`) of the
 * elements inside it, now and as updates bring them. A call's `data-liveview-optimistic` commands apply when it is
 * made (see LiveViewClient.callFrom).
 *
 * ```html
 * <body data-controller="page">
 *   <button data-liveview-function="increment" data-data-step="2" data-action="click->page#run">+2</button>
 * </body>
 * ```
 */
export class PageController extends Controller implements CallCallbacks {
  // Lifecycle methods a subclass may define (none by default).
  beforeCall?(detail: CallDetail): void;
  callSuccess?(detail: CallDetail): void;
  callFailure?(detail: CallDetail): void;
  afterCall?(detail: CallDetail): void;
  private behaviours: PageBehaviours | null = null;
  private removeStats: (() => void) | null = null;

  override connect(): void {
    const client = getLiveViewClient();
    // Calls of the interaction attributes read this controller's action params, as a `page#run` would.
    const call = (el: Element, name: string) => client.callFrom(el, name, { identifier: this.identifier, callbacks: this });
    this.behaviours = new PageBehaviours(this.element, call, client.log);
    this.removeStats = client.addStatsSource(() => this.behaviours!.stats());
    this.behaviours.start();
  }

  override disconnect(): void {
    this.behaviours?.stop();
    this.removeStats?.();
    this.behaviours = null;
    this.removeStats = null;
  }

  run(event: Event): void {
    const el = event.currentTarget instanceof Element ? event.currentTarget : this.element;
    if (preventsDefault(event.type, el)) event.preventDefault();
    const client = getLiveViewClient();
    const name = el.getAttribute(ATTRIBUTES.function);
    if (!name) {
      client.log.debug(`${ATTRIBUTES.function} is missing on`, el);
      return;
    }
    // Stimulus read the action's params for this event; a submit event names the button that submitted.
    const actionParams = (event as Event & { params?: Record<string, JsonValue> }).params;
    const submitter = (event as Partial<SubmitEvent>).submitter ?? null;
    const send = () => void client.callFrom(el, name, { identifier: this.identifier, actionParams, submitter, callbacks: this });
    const timing = this.behaviours?.timing;
    const debounce = readMs(el, ATTRIBUTES.debounce);
    const throttle = readMs(el, ATTRIBUTES.throttle);
    if (timing && debounce !== null) timing.debounce(el, debounce, send);
    else if (timing && throttle !== null) timing.throttle(el, throttle, send);
    else send();
  }

  stop(event: Event): void {
    event.stopPropagation();
  }
}
