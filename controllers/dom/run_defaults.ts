import { isTag } from "./elements.js";

const BUTTON_INPUTS = ["submit", "image", "reset", "button"];

/**
 * Whether `page#run` stops the event's default: clicks that would navigate or submit (links, buttons, submit
 * inputs) and submits. Checkboxes and radios still toggle.
 *
 * ```ts
 * if (preventsDefault(event.type, button)) event.preventDefault();
 * ```
 */
export function preventsDefault(eventType: string, el: Element): boolean {
  if (eventType === "submit") return true;
  if (eventType !== "click") return false;
  if (el.closest("a[href]")) return true;
  if (isTag(el, "button")) return true;
  return isTag(el, "input") && BUTTON_INPUTS.includes(el.type);
}
