import { RateLimiterMemory } from "rate-limiter-flexible";

/** `createLiveView({ rateLimit })`: calls one socket may make per window. */
export interface RateLimitOptions {
  /** Calls per window, sustained. Default 20. */
  points: number;
  /** The window in ms. Default 1000. */
  durationMs: number;
  /**
   * Calls one socket may make in a single window at most (a burst). Default twice `points`. The `burst - points`
   * calls over the rate come from a second allowance that refills once per `BURST_WINDOWS` windows (10 s by default).
   */
  burst?: number;
}

export const DEFAULT_RATE_LIMIT: Readonly<Required<RateLimitOptions>> = { points: 20, durationMs: 1000, burst: 40 };

/** The burst allowance refills once per this many windows, so a steady flood gains little from it. */
export const BURST_WINDOWS = 10;

/** The part of rate-limiter-flexible's MemoryStorage we call (11.4.0); see test/server/rate_limiter_contract.test.ts. */
interface MemoryStorageLike {
  incrby(key: string, value: number, durationSec: number): { consumedPoints: number };
}

/**
 * Per-socket call rate, as rate-limiter-flexible's BurstyRateLimiter decides it: a fixed window of `points` calls per
 * `durationMs` (a RateLimiterMemory keyed by socket id; a record expires with its window) and, once that is spent, a second RateLimiterMemory with
 * `burst - points` calls per `BURST_WINDOWS` windows.
 *
 * Why not `consume()`: it returns a promise even though RateLimiterMemory decides at once (in the promise executor),
 * and awaiting it would make every call asynchronous, costing the call path its synchronous round trip. `take()`
 * calls the same synchronous step `consume()` runs, `MemoryStorage#incrby` (the internal `_memoryStorage` field),
 * and applies BurstyRateLimiter's rule to its result. The library's version is pinned and a contract test checks
 * that `take()` and BurstyRateLimiter#consume agree call for call.
 */
export class CallRateLimiter {
  private readonly rate: RateLimiterMemory;
  private readonly burst: RateLimiterMemory;
  private readonly rateStorage: MemoryStorageLike;
  private readonly burstStorage: MemoryStorageLike;

  constructor(readonly options: Readonly<Required<RateLimitOptions>>) {
    const seconds = options.durationMs / 1000;
    // keyPrefix "" keeps the socket id as the key: no string is built per call.
    this.rate = new RateLimiterMemory({ points: options.points, duration: seconds, keyPrefix: "" });
    this.burst = new RateLimiterMemory({
      points: Math.max(0, options.burst - options.points),
      duration: seconds * BURST_WINDOWS,
      keyPrefix: "",
    });
    this.rateStorage = storageOf(this.rate);
    this.burstStorage = storageOf(this.burst);
  }

  /** Takes one call from `key`'s allowance; false when it has none left (the call must be refused). */
  take(key: string): boolean {
    if (this.rateStorage.incrby(key, 1, this.rate.duration).consumedPoints <= this.rate.points) return true;
    return this.burstStorage.incrby(key, 1, this.burst.duration).consumedPoints <= this.burst.points;
  }
}

function storageOf(limiter: RateLimiterMemory): MemoryStorageLike {
  const storage = (limiter as unknown as { _memoryStorage?: Partial<MemoryStorageLike> })._memoryStorage;
  if (typeof storage?.incrby !== "function") {
    throw new Error("rate-limiter-flexible changed: RateLimiterMemory has no _memoryStorage.incrby (express-liveview pins 11.4.0)");
  }
  return storage as MemoryStorageLike;
}

/** Resolves the `rateLimit` option: null when turned off with `false`. */
export function resolveRateLimit(option: Partial<RateLimitOptions> | false | undefined): Required<RateLimitOptions> | null {
  if (option === false) return null;
  const points = option?.points ?? DEFAULT_RATE_LIMIT.points;
  const durationMs = option?.durationMs ?? DEFAULT_RATE_LIMIT.durationMs;
  const burst = option?.burst ?? (option?.points === undefined ? DEFAULT_RATE_LIMIT.burst : points * 2);
  if (!(Number.isSafeInteger(points) && points > 0)) throw new Error("rateLimit.points must be a positive integer");
  if (!(Number.isFinite(durationMs) && durationMs > 0)) throw new Error("rateLimit.durationMs must be a positive number");
  if (!(Number.isSafeInteger(burst) && burst >= points)) throw new Error("rateLimit.burst must be an integer of at least points");
  return { points, durationMs, burst };
}
