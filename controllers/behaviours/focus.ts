import { ATTRIBUTES } from "../../protocol/index.js";
import type { Behaviour } from "./behaviour.js";

/** Tries to focus an element; true when it took focus (disabled or hidden elements do not). */
function tryFocus(el: Element): boolean {
  if (!(el instanceof HTMLElement || el instanceof SVGElement)) return false;
  if ((el as HTMLInputElement).disabled) return false;
  el.focus();
  return el.ownerDocument.activeElement === el;
}

/**
 * `data-liveview-focus="true"`: after the page loads, and after each update that brings such
 * elements, the first of them that can take focus gets it.
 */
export class FocusBehaviour implements Behaviour {
  readonly selector = `[${ATTRIBUTES.focus}="true"]`;
  readonly attributes = [ATTRIBUTES.focus];
  readonly size = 0;
  private candidates: Element[] = [];

  connect(el: Element): void {
    this.candidates.push(el);
  }

  disconnect(el: Element): void {
    this.candidates = this.candidates.filter((candidate) => candidate !== el);
  }

  afterBatch(): void {
    if (this.candidates.length === 0) return;
    const candidates = this.candidates;
    this.candidates = [];
    candidates.find((el) => el.isConnected && tryFocus(el));
  }

  stop(): void {
    this.candidates = [];
  }
}
