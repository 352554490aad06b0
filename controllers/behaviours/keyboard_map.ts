import { ATTRIBUTES } from "../../protocol/index.js";
import type { Logger } from "../debug.js";
import type { Behaviour, CallFromElement } from "./behaviour.js";
import { keyCombo, normaliseCombo } from "./key_combo.js";

type KeyMap = Map<string, string>;

const NATIVELY_FOCUSABLE = "a[href], button, input, select, textarea, iframe, summary, [contenteditable], [tabindex]";

/** Controls where a plain key types text; single-key shortcuts of outer elements stay out of their way. */
function isEditable(el: Element): boolean {
  return el.matches("input, textarea, select, [contenteditable]:not([contenteditable=false])");
}

/**
 * `data-liveview-keyboard-map='{"ctrl+s":"save","esc":"close"}'`: a keydown on the element or inside it
 * calls the mapped function with the element's data and form values and prevents the key's default;
 * unmapped keys pass through. One keydown listener on the root serves every map. An element that
 * cannot take focus is given `tabindex="0"`. While typing in a field, an outer map's plain keys
 * (no ctrl/alt/meta) do not fire, so "n" can mean "new" on the page and still be typed in a field.
 */
export class KeyboardMapBehaviour implements Behaviour {
  readonly selector = `[${ATTRIBUTES.keyboardMap}]`;
  readonly attributes = [ATTRIBUTES.keyboardMap];
  private readonly maps = new Map<Element, KeyMap>();
  private listening = false;

  constructor(
    private readonly root: Element,
    private readonly call: CallFromElement,
    private readonly log: Logger,
  ) {}

  get size(): number {
    return this.maps.size;
  }

  /** Keydown listeners this behaviour holds: one on the root while any map exists. */
  get listenerCount(): number {
    return this.listening ? 1 : 0;
  }

  connect(el: Element): void {
    const map = this.parse(el);
    if (!map) return;
    this.maps.set(el, map);
    const doc = el.ownerDocument;
    if (el !== doc.body && el !== doc.documentElement && !el.matches(NATIVELY_FOCUSABLE)) el.setAttribute("tabindex", "0");
    if (!this.listening) {
      this.root.addEventListener("keydown", this.onKeydown);
      this.listening = true;
    }
  }

  disconnect(el: Element): void {
    this.maps.delete(el);
    if (this.maps.size === 0) this.unlisten();
  }

  stop(): void {
    this.maps.clear();
    this.unlisten();
  }

  private unlisten(): void {
    if (!this.listening) return;
    this.root.removeEventListener("keydown", this.onKeydown);
    this.listening = false;
  }

  private parse(el: Element): KeyMap | null {
    const raw = el.getAttribute(ATTRIBUTES.keyboardMap) ?? "";
    try {
      const parsed: unknown = JSON.parse(raw);
      if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) throw new Error("not an object");
      const map: KeyMap = new Map();
      for (const [combo, name] of Object.entries(parsed)) {
        if (typeof name === "string" && name) map.set(normaliseCombo(combo), name);
      }
      return map;
    } catch (error) {
      this.log.warn(`invalid ${ATTRIBUTES.keyboardMap} ignored: ${raw}`, error);
      return null;
    }
  }

  private readonly onKeydown = (event: Event): void => {
    if (!(event instanceof KeyboardEvent) || event.defaultPrevented || event.isComposing) return;
    const combo = keyCombo(event);
    if (!combo) return;
    const origin = event.target instanceof Element ? event.target : this.root;
    const plain = !event.ctrlKey && !event.altKey && !event.metaKey && event.key.length === 1;
    const typing = plain && isEditable(origin);
    for (let el: Element | null = origin; el; el = el === this.root ? null : el.parentElement) {
      const name = this.maps.get(el)?.get(combo);
      if (!name || (typing && el !== origin)) continue;
      event.preventDefault();
      void this.call(el, name);
      return;
    }
  };
}
