import { isTag } from "../controllers/dom/elements.js";

/** One `data-action` descriptor: `event[.filter][@window|@document]->identifier#method[:option...]`. */
export interface ActionDescriptor {
  /** The event it listens for; null when written without one (the element's default event). */
  event: string | null;
  filter: string | null;
  on: "element" | "window" | "document";
  identifier: string;
  method: string;
}

/**
 * Parses a `data-action` value as Stimulus reads it; a token it cannot read is skipped.
 *
 * ```ts
 * parseActions("click->page#run input->page#run@window"); // two descriptors
 * ```
 */
export function parseActions(value: string): ActionDescriptor[] {
  const descriptors: ActionDescriptor[] = [];
  for (const token of value.trim().split(/\s+/)) {
    if (!token) continue;
    const arrow = token.lastIndexOf("->");
    let left = arrow >= 0 ? token.slice(0, arrow) : "";
    const right = arrow >= 0 ? token.slice(arrow + 2) : token;
    const hash = right.indexOf("#");
    if (hash <= 0) continue;
    const identifier = right.slice(0, hash);
    const method = right.slice(hash + 1).split(":")[0];
    if (!method) continue;
    let on: ActionDescriptor["on"] = "element";
    const at = left.lastIndexOf("@");
    if (at >= 0) {
      const where = left.slice(at + 1);
      if (where === "window" || where === "document") on = where;
      left = left.slice(0, at);
    }
    const dot = left.indexOf(".");
    const event = (dot >= 0 ? left.slice(0, dot) : left) || null;
    const filter = dot >= 0 ? left.slice(dot + 1) : null;
    descriptors.push({ event, filter, on, identifier, method });
  }
  return descriptors;
}

/** The event an action written without one listens for, as Stimulus decides it. */
export function defaultEventOf(el: Element): string | null {
  if (isTag(el, "input")) return el.type === "submit" ? "click" : "input";
  if (isTag(el, "select")) return "change";
  if (isTag(el, "textarea")) return "input";
  if (isTag(el, "form")) return "submit";
  if (isTag(el, "button")) return "click";
  if (el.localName === "a") return "click";
  if (el.localName === "details") return "toggle";
  return null;
}

/** Whether the descriptor of `el` listens for this event (a key filter only ever matches keyboard events). */
export function listensFor(descriptor: ActionDescriptor, el: Element, type: string): boolean {
  const event = descriptor.event ?? defaultEventOf(el);
  if (event !== type) return false;
  return descriptor.filter === null || type.startsWith("key");
}
