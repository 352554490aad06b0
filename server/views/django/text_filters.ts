import { isTruthy, keepSafety, text, toInt, type HtmlText } from "./html_text.js";

const ELLIPSIS = "…";
/** Combining marks do not count as characters when truncating, as in Django (Unicode category Mn). */
const COMBINING = /^\p{Mn}$/u;

/** `default:"x"`: `arg` when the value is false in Python's sense (null, undefined, false, 0, "", [], {}). */
export function defaultFilter(_html: HtmlText, value: unknown, arg: unknown): unknown {
  return isTruthy(value) ? value : arg;
}

/** `default_if_none:"x"`: `arg` only when the value is null or undefined. */
export function defaultIfNone(_html: HtmlText, value: unknown, arg: unknown): unknown {
  return value === null || value === undefined ? arg : value;
}

/** `yesno:"yeah,no,maybe"`: one of the words for true, false and null (the "no" word when there is no third). */
export function yesno(html: HtmlText, value: unknown, arg: unknown = "yes,no,maybe"): unknown {
  const bits = text(arg).split(",");
  if (bits.length < 2) return value;
  const [yes, no, maybe] = bits.length === 3 ? bits : [bits[0], bits[1], bits[1]];
  if (value === null || value === undefined) return maybe;
  return isTruthy(value, html) ? yes : no;
}

/** What Python's float() reads: decimal numbers (with spaces around), inf, nan. */
const PYTHON_FLOAT = /^\s*[+-]?((\d[\d_]*)?\.?\d[\d_]*([eE][+-]?\d+)?|inf(inity)?|nan)\s*$/i;

function pluralCount(value: unknown): number | null {
  if (typeof value === "number") return value;
  if (typeof value === "boolean") return value ? 1 : 0;
  if (typeof value === "bigint") return Number(value);
  if (typeof value === "string") return PYTHON_FLOAT.test(value) ? Number(value.replace(/_/g, "").trim().replace(/^([+-]?)inf(inity)?$/i, "$1Infinity")) : null;
  if (Array.isArray(value)) return value.length;
  if (value instanceof Map || value instanceof Set) return value.size;
  if (value !== null && typeof value === "object" && Object.getPrototypeOf(value) === Object.prototype) return Object.keys(value).length;
  return null;
}

/**
 * `pluralize`, `pluralize:"es"`, `pluralize:"y,ies"`: the plural suffix unless the value is 1 (a number, a numeric
 * string, or a list of one); "" for a value that is none of those, or for more than one comma.
 */
export function pluralize(_html: HtmlText, value: unknown, arg: unknown = "s"): string {
  const suffixes = text(arg);
  const bits = (suffixes.includes(",") ? suffixes : `,${suffixes}`).split(",");
  if (bits.length > 2) return "";
  const count = pluralCount(value);
  if (count === null) return "";
  return count === 1 ? bits[0] : bits[1];
}

function addTruncation(truncated: string, marker: string): string {
  return truncated.endsWith(marker) ? truncated : truncated + marker;
}

/** `truncatechars:N`: at most N characters, the last one "…" when the text was cut. */
export function truncatechars(html: HtmlText, value: unknown, arg: unknown): unknown {
  const length = toInt(arg);
  if (length === null) return value;
  if (length <= 0) return "";
  const source = text(value).normalize("NFC");
  const keep = length - 1; // the room left beside the "…"
  let count = 0;
  let end: number | null = null;
  let offset = 0;
  for (const char of source) {
    if (!COMBINING.test(char)) {
      count++;
      if (end === null && count > keep) end = offset;
      if (count > length) return keepSafety(html, value, addTruncation(source.slice(0, end ?? 0), ELLIPSIS));
    }
    offset += char.length;
  }
  return keepSafety(html, value, source);
}

/** `truncatewords:N`: the first N words and " …" when there were more; runs of spaces and newlines become one space. */
export function truncatewords(html: HtmlText, value: unknown, arg: unknown): unknown {
  const length = toInt(arg);
  if (length === null) return value;
  if (length <= 0) return "";
  const words = text(value).split(/\s+/).filter((word) => word !== "");
  const result = words.length > length ? addTruncation(words.slice(0, length).join(" "), ` ${ELLIPSIS}`) : words.join(" ");
  return keepSafety(html, value, result);
}

/** `linebreaksbr`: every newline (\n, \r\n, \r) becomes `<br>`; the text is escaped first unless marked safe. */
export function linebreaksbr(html: HtmlText, value: unknown): unknown {
  let source = text(value).replace(/\r\n|\r/g, "\n");
  if (html.autoescape && !html.isSafe(value)) source = html.escape(source);
  return html.markSafe(source.replace(/\n/g, "<br>"));
}

/**
 * `slugify`: ASCII only (accents dropped after NFKD, other letters removed), lowercase, spaces and dashes to
 * one "-", anything but letters, digits, "_" and "-" removed, "-" and "_" trimmed from the ends.
 */
export function slugify(_html: HtmlText, value: unknown): string {
  return text(value)
    .normalize("NFKD")
    .replace(/[^\x00-\x7f]/g, "")
    .toLowerCase()
    .replace(/[^\w\s-]/g, "")
    .replace(/[-\s]+/g, "-")
    .replace(/^[-_]+|[-_]+$/g, "");
}
