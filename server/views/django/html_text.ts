/**
 * What a filter needs of the engine it runs in to produce HTML: whether a value is already marked safe, how to
 * mark a string safe, how the engine escapes text, and whether output is escaped (Nunjucks' `autoescape`).
 */
export interface HtmlText {
  readonly autoescape: boolean;
  isSafe(value: unknown): boolean;
  markSafe(html: string): unknown;
  escape(text: string): string;
}

/** A value as the text a string filter works on: null and undefined are "" (Django prints "None"). */
export const text = (value: unknown): string => (value === null || value === undefined ? "" : String(value));

/** `result` marked safe when `input` was (Django's `is_safe` filters keep safeness). */
export const keepSafety = (html: HtmlText, input: unknown, result: string): unknown =>
  html.isSafe(input) ? html.markSafe(result) : result;

/** Python's truthiness, which Django's `default` and `yesno` use: empty lists and dicts are false, as are 0 and "". */
export function isTruthy(value: unknown, html?: HtmlText): boolean {
  if (value === null || value === undefined || value === false || value === 0 || value === "" || value === 0n) return false;
  if (typeof value === "number") return true; // NaN is true in Python
  if (Array.isArray(value)) return value.length > 0;
  if (value instanceof Map || value instanceof Set) return value.size > 0;
  if (html?.isSafe(value)) return String(value) !== "";
  if (typeof value === "object" && Object.getPrototypeOf(value) === Object.prototype) return Object.keys(value).length > 0;
  return true;
}

/** Python's int() of a filter argument: an integer, or null where Python raises ValueError. */
export function toInt(arg: unknown): number | null {
  if (typeof arg === "number") return Number.isFinite(arg) ? Math.trunc(arg) : null;
  if (typeof arg === "boolean") return arg ? 1 : 0;
  if (typeof arg === "string" && /^\s*[+-]?\d+\s*$/.test(arg)) return Number.parseInt(arg, 10);
  return null;
}
