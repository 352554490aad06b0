import type { TimerClock } from "../controllers/behaviours/timing.js";

/** @sinonjs/fake-timers (jest's modern fake timers) marks the functions it installs with their clock. */
interface FakeClock {
  tick(ms: number): unknown;
}

const fakeClock = (): FakeClock | null => {
  const clock = (setTimeout as unknown as { clock?: Partial<FakeClock> }).clock;
  return clock && typeof clock.tick === "function" ? (clock as FakeClock) : null;
};

interface Due {
  at: number;
  order: number;
  fire: () => void;
}

/**
 * The clock of a test page's debounce and throttle. Under jest's fake timers it is theirs, so
 * `jest.advanceTimersByTime` fires them too; with real timers it is virtual and stands still, so a test never
 * waits for real time. `advance(ms)` moves either.
 */
export class PageClock implements TimerClock {
  private now = 0;
  private order = 0;
  private readonly due = new Map<number, Due>();

  setTimeout(fire: () => void, ms: number): unknown {
    if (fakeClock()) return { fake: setTimeout(fire, ms) };
    const handle = ++this.order;
    this.due.set(handle, { at: this.now + Math.max(0, ms), order: handle, fire });
    return handle;
  }

  clearTimeout(handle: unknown): void {
    if (typeof handle === "number") this.due.delete(handle);
    else if (typeof handle === "object" && handle !== null && "fake" in handle) clearTimeout((handle as { fake: ReturnType<typeof setTimeout> }).fake);
  }

  /** Moves time on by `ms`, firing what falls due in order (timers they set included). */
  advance(ms: number): void {
    const fake = fakeClock();
    if (fake) fake.tick(ms);
    const end = this.now + ms;
    for (;;) {
      let next: Due | null = null;
      for (const due of this.due.values()) if (due.at <= end && (!next || due.at < next.at || (due.at === next.at && due.order < next.order))) next = due;
      if (!next) break;
      this.due.delete(next.order);
      this.now = next.at;
      next.fire();
    }
    this.now = end;
  }

  /** Timers waiting on the virtual clock. */
  get pending(): number {
    return this.due.size;
  }
}
