import { ATTRIBUTES } from "../../protocol/index.js";
import type { Behaviour, CallFromElement } from "./behaviour.js";

/**
 * `data-liveview-init="fn"`: calls fn once for each element when it first appears, at load or in
 * an update, with its `data-data-*`. The same element never calls twice, even when moved.
 */
export class InitBehaviour implements Behaviour {
  readonly selector = `[${ATTRIBUTES.init}]`;
  readonly attributes = [ATTRIBUTES.init];
  readonly size = 0;
  private readonly done = new WeakSet<Element>();

  constructor(private readonly call: CallFromElement) {}

  connect(el: Element): void {
    const name = el.getAttribute(ATTRIBUTES.init);
    if (!name || this.done.has(el)) return;
    this.done.add(el);
    void this.call(el, name);
  }

  disconnect(): void {}

  stop(): void {}
}
