import type { Logger } from "../debug.js";

/** An element on which a page script may have set a cleanup function (timers, listeners, observers). */
export interface CleanupElement extends Element {
  __cleanup?: () => void;
}

function runCleanup(el: CleanupElement, log: Logger): void {
  const cleanup = el.__cleanup;
  if (typeof cleanup !== "function") return;
  // Cleared first, so a target whose content is replaced twice does not clean up the same thing twice.
  delete el.__cleanup;
  try {
    cleanup.call(el);
  } catch (error) {
    log.error("__cleanup failed", error);
  }
}

/**
 * Calls `__cleanup()` on the element and on every element inside it that set one, before the
 * element's content is replaced or the element removed. Each function runs once (it is deleted
 * before it is called) and an error in one is logged without stopping the others.
 *
 * ```ts
 * // a script of the old content did: el.__cleanup = () => clearInterval(timer);
 * cleanupTree(target, log);
 * ```
 */
export function cleanupTree(el: Element, log: Logger): void {
  runCleanup(el, log);
  for (const descendant of Array.from(el.querySelectorAll("*"))) runCleanup(descendant, log);
}
