import { DOM_EVENTS, ERROR_CODES, type CallAck } from "../../protocol/index.js";

/** `detail` of the call lifecycle events, and the argument of the controller's lifecycle methods. */
export interface CallDetail {
  functionName: string;
  /** The call's id (as the server's de-duplication knows it). */
  id: string;
  /** The element that made the call. */
  element: Element;
  /** The call's ack: on `success`, `failure` and `after-call`. */
  ack?: CallAck;
}

/**
 * The lifecycle methods a calling controller may define (StimulusReflex's `beforeReflex`, `reflexSuccess`...): each is
 * called with the same detail as its event, after the event. `callSuccess` or `callFailure`, then `afterCall`.
 */
export interface CallCallbacks {
  beforeCall?(detail: CallDetail): void;
  callSuccess?(detail: CallDetail): void;
  callFailure?(detail: CallDetail): void;
  afterCall?(detail: CallDetail): void;
}

type Method = keyof CallCallbacks;

/** The ack of a call a `liveview:before-call` listener cancelled: it never left the page. */
export const cancelledAck = (functionName: string): CallAck => ({
  ok: false,
  error: `Cancelled: ${functionName}`,
  code: ERROR_CODES.cancelled,
});

/**
 * Dispatches on the element while it is in the page, else on its document (an update may have replaced or removed
 * it), so listeners on the document or window hear every call. Returns false when a listener cancelled it.
 */
function fire(name: string, detail: CallDetail, cancelable: boolean): boolean {
  const { element } = detail;
  const doc = element.ownerDocument;
  // The element's own window's CustomEvent: a test page's document (jsdom, in Node) is not the global one.
  const Custom = doc.defaultView?.CustomEvent ?? CustomEvent;
  const on: EventTarget = element.isConnected ? element : doc;
  return on.dispatchEvent(new Custom(name, { bubbles: true, cancelable, detail }));
}

/** A throwing lifecycle method is reported as an uncaught error (as a throwing listener is); the call goes on. */
function invoke(callbacks: CallCallbacks | undefined, method: Method, detail: CallDetail): void {
  const fn = callbacks?.[method];
  if (typeof fn !== "function") return;
  try {
    fn.call(callbacks, detail);
  } catch (error) {
    const view = detail.element.ownerDocument.defaultView;
    if (view && typeof view.reportError === "function") view.reportError(error);
    else setTimeout(() => {
      throw error;
    });
  }
}

/**
 * Before a call leaves: `liveview:before-call` (cancelable) on the element, then the controller's `beforeCall`.
 * Returns false when a listener called `preventDefault()`: the call is not made and nothing else is called.
 *
 * ```ts
 * if (!beforeCall({ functionName, id, element }, controller)) return cancelledAck(functionName);
 * ```
 */
export function beforeCall(detail: CallDetail, callbacks?: CallCallbacks): boolean {
  if (!fire(DOM_EVENTS.beforeCall, detail, true)) return false;
  invoke(callbacks, "beforeCall", detail);
  return true;
}

/**
 * Once the call's ack is in (and the updates it held are applied): `liveview:success` or `liveview:failure`, then
 * `liveview:after-call`, each followed by the controller's method of the same step.
 */
export function afterCall(detail: CallDetail, ack: CallAck, callbacks?: CallCallbacks): void {
  const done: CallDetail = { ...detail, ack };
  if (ack.ok) {
    fire(DOM_EVENTS.success, done, false);
    invoke(callbacks, "callSuccess", done);
  } else {
    fire(DOM_EVENTS.failure, done, false);
    invoke(callbacks, "callFailure", done);
  }
  fire(DOM_EVENTS.afterCall, done, false);
  invoke(callbacks, "afterCall", done);
}
