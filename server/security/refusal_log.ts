import type { ServerLogger } from "../types.js";

/** What a burst has been of so far: when its latest refusal came, and how many went unlogged. */
interface Burst {
  lastAt: number;
  unlogged: number;
}

/**
 * Logs the refusals of one socket once per burst rather than once per message, so a flood cannot flood the log:
 * the first refusal of each kind is logged, the ones after it are counted, and the burst ends once the socket has
 * been quiet (no refusal of that kind) for `quietMs`. The next burst's line says how many went unlogged.
 * Costs nothing for a socket that is never refused (the map is made on the first refusal); needs no timer.
 *
 * ```ts
 * const refusals = new RefusalLog(getLogger, 1000, `socket ${socket.id}`);
 * refusals.warn("rate_limited", "too many calls; refusing them");
 * ```
 */
export class RefusalLog {
  private bursts: Map<string, Burst> | null = null;

  constructor(
    private readonly logger: () => ServerLogger,
    private readonly quietMs: number,
    /** Who is refused, at the start of each line (e.g. `socket abc`). */
    private readonly who: string,
    private readonly now: () => number = Date.now,
  ) {}

  /** Records one refusal of `kind`; logs `line` (which must already be safe, see logText) if it starts a burst. */
  warn(kind: string, line: string): void {
    const now = this.now();
    this.bursts ??= new Map();
    const burst = this.bursts.get(kind);
    if (burst && now - burst.lastAt < this.quietMs) {
      burst.lastAt = now;
      burst.unlogged++;
      return;
    }
    const earlier = burst && burst.unlogged > 0 ? ` (${burst.unlogged} more of its previous burst were not logged)` : "";
    this.logger().warn(`[liveview] ${this.who}: ${line}${earlier} (repeats are not logged until it has been quiet for ${this.quietMs} ms)`);
    if (burst) {
      burst.lastAt = now;
      burst.unlogged = 0;
    } else this.bursts.set(kind, { lastAt: now, unlogged: 0 });
  }
}
