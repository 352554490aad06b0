import { ATTRIBUTES, POLL_DEFAULTS } from "../../protocol/index.js";
import type { Behaviour, CallFromElement } from "./behaviour.js";
import { readMs } from "./timing.js";

interface Polled {
  intervalMs: number;
  /** When the last poll call ended (or the element appeared): the next one is due an interval later. */
  lastAt: number;
  timer: ReturnType<typeof setTimeout> | null;
}

/**
 * `data-liveview-poll="refresh_stats"` calls the handler every `data-liveview-poll-interval` ms (2000 by
 * default) while the element is in the page, the first time one interval after it appears. While the tab is
 * hidden the interval is 20 times longer; when it shows again, a call that was due goes at once. A poll never
 * overlaps the previous one: the next interval starts when the previous call's ack arrives.
 */
export class PollBehaviour implements Behaviour {
  readonly selector = `[${ATTRIBUTES.poll}]`;
  readonly attributes = [ATTRIBUTES.poll, ATTRIBUTES.pollInterval];
  private readonly polled = new Map<Element, Polled>();
  /** Elements whose poll call waits for its ack; kept apart from `polled` so a re-wired element still waits. */
  private readonly inFlight = new WeakSet<Element>();
  private listening = false;

  constructor(
    private readonly call: CallFromElement,
    private readonly doc: Document,
  ) {}

  /** Elements being polled: each holds a timer, or a call whose ack will start one. */
  get size(): number {
    return this.polled.size;
  }

  connect(el: Element): void {
    if (this.polled.has(el)) return;
    const ms = readMs(el, ATTRIBUTES.pollInterval);
    const polled: Polled = { intervalMs: ms !== null && ms > 0 ? ms : POLL_DEFAULTS.intervalMs, lastAt: Date.now(), timer: null };
    this.polled.set(el, polled);
    this.listen(true);
    this.schedule(el, polled);
  }

  disconnect(el: Element): void {
    const polled = this.polled.get(el);
    if (!polled) return;
    if (polled.timer !== null) clearTimeout(polled.timer);
    this.polled.delete(el);
    if (this.polled.size === 0) this.listen(false);
  }

  stop(): void {
    for (const polled of this.polled.values()) if (polled.timer !== null) clearTimeout(polled.timer);
    this.polled.clear();
    this.listen(false);
  }

  private hidden(): boolean {
    return this.doc.visibilityState === "hidden";
  }

  /** Sets the timer for the next call: an interval (x20 while hidden) after the last one ended; none while one waits. */
  private schedule(el: Element, polled: Polled): void {
    if (polled.timer !== null) clearTimeout(polled.timer);
    polled.timer = null;
    if (this.inFlight.has(el)) return;
    const period = polled.intervalMs * (this.hidden() ? POLL_DEFAULTS.hiddenFactor : 1);
    const wait = Math.max(0, polled.lastAt + period - Date.now());
    polled.timer = setTimeout(() => this.tick(el), wait);
  }

  private tick(el: Element): void {
    const polled = this.polled.get(el);
    if (!polled) return;
    polled.timer = null;
    const name = el.getAttribute(ATTRIBUTES.poll);
    if (!name) return;
    this.inFlight.add(el);
    const settled = () => {
      this.inFlight.delete(el);
      const current = this.polled.get(el);
      if (!current) return;
      current.lastAt = Date.now();
      this.schedule(el, current);
    };
    this.call(el, name).then(settled, settled);
  }

  /** Hidden: every timer moves out to the slow interval. Visible: back to the normal one, so a due call goes now. */
  private readonly onVisibilityChange = (): void => {
    for (const [el, polled] of this.polled) this.schedule(el, polled);
  };

  private listen(on: boolean): void {
    if (on === this.listening) return;
    this.listening = on;
    if (on) this.doc.addEventListener("visibilitychange", this.onVisibilityChange);
    else this.doc.removeEventListener("visibilitychange", this.onVisibilityChange);
  }
}
