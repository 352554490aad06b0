/**
 * The first element matching a selector that came from the server or the page, or null when nothing matches or
 * the selector is invalid; `onInvalid` hears of an invalid one (a debug message at the call site). Every lookup of
 * an update's `target`, `scroll` and journaled regions goes through here, so none of them can throw.
 *
 * ```ts
 * const el = queryFirst(document, update.target, (error) => log.debug("invalid target", error));
 * ```
 */
export function queryFirst(doc: Document, selector: string, onInvalid?: (error: unknown) => void): Element | null {
  try {
    return doc.querySelector(selector);
  } catch (error) {
    onInvalid?.(error);
    return null;
  }
}
