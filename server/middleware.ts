import type { Consumer, HandlerContent, Middleware } from "./types.js";

/**
 * Runs the middleware in order and stops at the first that returns `false`.
 * Returns true when the call may go on. A throwing middleware rejects, like a handler error.
 */
export async function runMiddleware(
  middlewares: readonly Middleware[],
  consumer: Consumer,
  content: HandlerContent,
  functionName: string,
): Promise<boolean> {
  for (const middleware of middlewares) {
    if ((await middleware(consumer, content, functionName)) === false) return false;
  }
  return true;
}
