import { ATTRIBUTES } from "../../protocol/index.js";
import type { Behaviour } from "./behaviour.js";
import type { CallTiming } from "./timing.js";

/** Releases an element's debounce or throttle timer when it leaves the page. */
export class TimingBehaviour implements Behaviour {
  readonly selector = `[${ATTRIBUTES.debounce}],[${ATTRIBUTES.throttle}]`;
  readonly attributes = [ATTRIBUTES.debounce, ATTRIBUTES.throttle];

  constructor(private readonly timing: CallTiming) {}

  get size(): number {
    return this.timing.size;
  }

  connect(): void {}

  disconnect(el: Element): void {
    if (!el.isConnected) this.timing.cancel(el);
  }

  stop(): void {
    this.timing.cancelAll();
  }
}
