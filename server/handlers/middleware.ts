import type { CallAck } from "../../protocol/index.js";
import type { AfterCall, Consumer, HandlerContent, Middleware } from "../types.js";

/** The after-call list of a call whose middleware returned no function (shared, never changed). */
export const NO_AFTER_CALLS: readonly AfterCall[] = Object.freeze([]);

/**
 * Runs the middleware in order and stops at the first that returns `false` (then resolves `false`).
 * A middleware may instead return a function: it is called with the call's ack once the handler
 * has finished (for logging durations, releasing a lock). A throwing middleware rejects, like a
 * handler error.
 */
export async function runMiddleware(
  middlewares: readonly Middleware[],
  consumer: Consumer,
  content: HandlerContent,
  functionName: string,
): Promise<false | readonly AfterCall[]> {
  let after: AfterCall[] | null = null;
  for (const middleware of middlewares) {
    const result = await middleware(consumer, content, functionName);
    if (result === false) return false;
    if (typeof result === "function") (after ??= []).push(result);
  }
  return after ?? NO_AFTER_CALLS;
}

/** Calls the after-call functions, the last middleware's first; one that throws does not stop the others. */
export function runAfterCall(after: readonly AfterCall[], ack: CallAck, onError: (error: unknown) => void): void {
  for (let i = after.length - 1; i >= 0; i--) {
    try {
      after[i](ack);
    } catch (error) {
      onError(error);
    }
  }
}
