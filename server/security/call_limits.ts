import { DEFAULT_PAYLOAD_LIMITS, type PayloadLimits } from "../../protocol/index.js";
import { CallRateLimiter, DEFAULT_RATE_LIMIT, resolveRateLimit, type RateLimitOptions } from "./call_rate_limiter.js";

/** The per-tab call limits of `createLiveView` (see docs/security.md). */
export interface CallLimitOptions {
  /**
   * Calls one tab may make: `points` per `durationMs`, with bursts of up to `burst` (default 20 per second, bursts
   * of 40). A call over it gets `code: "rate_limited"` and does not run. `false` turns the limit off: then one tab
   * can keep the server busy with calls as fast as its connection carries them (only for load tests and benchmarks).
   */
  rateLimit?: Partial<RateLimitOptions> | false;
  /** Levels of objects and arrays a call's `data`, `form` or `params` may have (itself the first). Default 32; `too_deep`. */
  maxPayloadDepth?: number;
  /** Object keys and array items of `data`, `form` and `params` together, nested ones included. Default 1000; `too_many_keys`. */
  maxPayloadKeys?: number;
  /** Calls one tab may have waiting before more are refused (`overloaded`). Default 1000. */
  maxQueuedCalls?: number;
  /** Bytes of calls (as received) one tab may have waiting before more are refused (`overloaded`). Default 4 MB. */
  maxQueuedBytes?: number;
}

export const DEFAULT_MAX_QUEUED_CALLS = 1000;
export const DEFAULT_MAX_QUEUED_BYTES = 4 * 1024 * 1024;

/** What the dispatcher needs of the limits, one set per createLiveView. */
export interface CallLimits {
  rateLimiter: CallRateLimiter | null;
  payloadLimits: PayloadLimits;
  maxQueuedCalls: number;
  maxQueuedBytes: number;
  /** A tab's refusals are logged once per burst; a burst ends after this long without one (the rate window). */
  refusalQuietMs: number;
}

const positiveInteger = (value: number | undefined, fallback: number, name: string): number => {
  if (value === undefined) return fallback;
  if (!Number.isSafeInteger(value) || value < 1) throw new Error(`${name} must be a positive integer`);
  return value;
};

export function resolveCallLimits(options: CallLimitOptions): CallLimits {
  const rate = resolveRateLimit(options.rateLimit);
  return {
    rateLimiter: rate ? new CallRateLimiter(rate) : null,
    payloadLimits: {
      maxDepth: positiveInteger(options.maxPayloadDepth, DEFAULT_PAYLOAD_LIMITS.maxDepth, "maxPayloadDepth"),
      maxKeys: positiveInteger(options.maxPayloadKeys, DEFAULT_PAYLOAD_LIMITS.maxKeys, "maxPayloadKeys"),
    },
    maxQueuedCalls: positiveInteger(options.maxQueuedCalls, DEFAULT_MAX_QUEUED_CALLS, "maxQueuedCalls"),
    maxQueuedBytes: positiveInteger(options.maxQueuedBytes, DEFAULT_MAX_QUEUED_BYTES, "maxQueuedBytes"),
    refusalQuietMs: rate?.durationMs ?? DEFAULT_RATE_LIMIT.durationMs,
  };
}
