import { ATTRIBUTES, CLASSES } from "../../protocol/index.js";

const pendingCounts = new WeakMap<Element, number>();
/** Controls this module disabled, so it only re-enables what it disabled. */
const disabledByUs = new WeakSet<Element>();

type Disableable = Element & { disabled: boolean };
const canDisable = (el: Element): el is Disableable => "disabled" in el && typeof (el as Disableable).disabled === "boolean";

/** The controls a `data-liveview-disable` element stands for: itself, or a form's submit buttons. */
function controlsToDisable(el: Element): Disableable[] {
  if (!el.hasAttribute(ATTRIBUTES.disable)) return [];
  if (el instanceof HTMLFormElement) {
    return Array.from(el.querySelectorAll("button, input[type=submit], input[type=image]")).filter(canDisable);
  }
  return canDisable(el) ? [el] : [];
}

/**
 * Marks an element busy while its call waits for the server's ack: `aria-busy="true"`, the class
 * `liveview-loading`, and, with `data-liveview-disable`, the element (or a form's submit buttons)
 * disabled. Overlapping calls from the same element are counted, so the marks go when the last ends.
 *
 * ```ts
 * await trackLoading(button, client.call(message));
 * ```
 */
export async function trackLoading<T>(el: Element, pending: Promise<T>): Promise<T> {
  const count = pendingCounts.get(el) ?? 0;
  pendingCounts.set(el, count + 1);
  if (count === 0) start(el);
  try {
    return await pending;
  } finally {
    const left = (pendingCounts.get(el) ?? 1) - 1;
    if (left > 0) pendingCounts.set(el, left);
    else {
      pendingCounts.delete(el);
      finish(el);
    }
  }
}

function start(el: Element): void {
  el.setAttribute("aria-busy", "true");
  el.classList.add(CLASSES.loading);
  for (const control of controlsToDisable(el)) {
    if (control.disabled) continue;
    control.disabled = true;
    disabledByUs.add(control);
  }
}

function finish(el: Element): void {
  el.removeAttribute("aria-busy");
  el.classList.remove(CLASSES.loading);
  const controls = el instanceof HTMLFormElement ? Array.from(el.querySelectorAll("*")) : [el];
  for (const control of controls) {
    if (!disabledByUs.has(control)) continue;
    disabledByUs.delete(control);
    (control as Disableable).disabled = false;
  }
}
