/** Where CallTiming's timers come from: the page's own, or a test page's clock. */
export interface TimerClock {
  setTimeout(fire: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

/** The global timers, looked up at each use (so fake timers installed later are the ones used). */
const GLOBAL_CLOCK: TimerClock = {
  setTimeout: (fire, ms) => setTimeout(fire, ms),
  clearTimeout: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
};

/**
 * Per-element debounce and throttle for calls. Each element has at most one timer; `cancel(el)`
 * clears it when the element leaves the page, so nothing fires for an element that is gone.
 */
export class CallTiming {
  private readonly timers = new Map<Element, unknown>();
  /** Elements inside a throttle window, with the call to make when it closes (if any came meanwhile). */
  private readonly throttled = new Map<Element, (() => void) | null>();

  constructor(private readonly clock: TimerClock = GLOBAL_CLOCK) {}

  /** Trailing debounce: `fire` runs once the element has been quiet for `ms`. */
  debounce(el: Element, ms: number, fire: () => void): void {
    this.clearTimer(el);
    this.timers.set(
      el,
      this.clock.setTimeout(() => {
        this.timers.delete(el);
        fire();
      }, ms),
    );
  }

  /** At most one call per `ms`: the first goes at once, the latest of the rest when the window closes. */
  throttle(el: Element, ms: number, fire: () => void): void {
    if (this.throttled.has(el)) {
      this.throttled.set(el, fire);
      return;
    }
    fire();
    this.openWindow(el, ms);
  }

  private openWindow(el: Element, ms: number): void {
    this.throttled.set(el, null);
    this.timers.set(
      el,
      this.clock.setTimeout(() => {
        this.timers.delete(el);
        const last = this.throttled.get(el);
        this.throttled.delete(el);
        if (last) {
          last();
          this.openWindow(el, ms);
        }
      }, ms),
    );
  }

  /** Drops the element's pending call and timer. */
  cancel(el: Element): void {
    this.clearTimer(el);
    this.throttled.delete(el);
  }

  /** Drops every pending call (the controller is going away). */
  cancelAll(): void {
    for (const timer of this.timers.values()) this.clock.clearTimeout(timer);
    this.timers.clear();
    this.throttled.clear();
  }

  /** Number of elements with a live timer (tests check nothing leaks). */
  get size(): number {
    return this.timers.size;
  }

  private clearTimer(el: Element): void {
    const timer = this.timers.get(el);
    if (timer !== undefined) this.clock.clearTimeout(timer);
    this.timers.delete(el);
  }
}

/** Reads a non-negative millisecond attribute; anything else means "not set". */
export function readMs(el: Element, attribute: string): number | null {
  const raw = el.getAttribute(attribute);
  if (raw === null || raw.trim() === "") return null;
  const ms = Number(raw);
  return Number.isFinite(ms) && ms >= 0 ? ms : null;
}
