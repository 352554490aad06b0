import type { Manager } from "socket.io-client";
import type { ReconnectOptions } from "../../protocol/index.js";

/** socket.io-client's backoff object; its factor is not part of the Manager options. */
interface Backoff {
  factor: number;
}

/** Manager options that give the documented schedule: delay, x factor, capped, so many tries. */
export function managerOptions(reconnect: ReconnectOptions) {
  return {
    reconnection: reconnect.attempts > 0,
    reconnectionDelay: reconnect.delay,
    reconnectionDelayMax: reconnect.maxDelay,
    reconnectionAttempts: reconnect.attempts,
    randomizationFactor: reconnect.jitter,
  };
}

/** Sets the backoff factor (socket.io-client fixes it at 2 otherwise). */
export function applyBackoffFactor(manager: Manager, factor: number): void {
  const backoff = (manager as unknown as { backoff?: Backoff }).backoff;
  if (backoff) backoff.factor = factor;
}

/** The waits of the whole schedule, for docs and tests: 3000, 4500, 6750, 10125, 15187. */
export function scheduleDelays(reconnect: ReconnectOptions): number[] {
  return Array.from({ length: reconnect.attempts }, (_, i) =>
    Math.min(reconnect.delay * Math.pow(reconnect.factor, i), reconnect.maxDelay),
  );
}
