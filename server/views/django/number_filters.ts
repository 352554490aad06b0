import { text, toInt, type HtmlText } from "./html_text.js";
import { kitSettings } from "./kit_settings.js";

/** A decimal number as Python's Decimal reads it: sign, digits (no leading zeros) and a power of ten. */
interface DecimalParts {
  negative: boolean;
  digits: string;
  exponent: number;
}

const DECIMAL = /^\s*([+-]?)(\d*)(?:\.(\d*))?(?:[eE]([+-]?\d+))?\s*$/;
/** Intl.NumberFormat shows at most this many decimals (Node 20); more are zeros past it. */
const MAX_INTL_DECIMALS = 20;
/** Django returns numbers with more digits than this as they are (a denial-of-service guard). */
const MAX_DIGITS = 200;

function parseDecimal(source: string): DecimalParts | null {
  const match = DECIMAL.exec(source);
  if (!match) return null;
  const [, sign, whole = "", fraction = "", exponent = "0"] = match;
  if (whole === "" && fraction === "") return null;
  const digits = (whole + fraction).replace(/^0+(?=\d)/, "");
  return { negative: sign === "-", digits, exponent: Number(exponent) - fraction.length };
}

/** The value as Django's floatformat reads it: str() of it as a Decimal, else float() of it. */
function decimalOf(value: unknown): { parts: DecimalParts; shown: string } | null {
  if (typeof value === "boolean") return decimalOf(value ? 1 : 0);
  if (typeof value === "number" || typeof value === "bigint") {
    const shown = String(value);
    const parts = parseDecimal(shown);
    return parts ? { parts, shown } : { parts: { negative: false, digits: "", exponent: Number.NaN }, shown };
  }
  if (value === null || value === undefined || typeof value === "object") {
    const shown = text(value);
    const parts = parseDecimal(shown);
    return parts ? { parts, shown } : null;
  }
  const shown = String(value);
  const parts = parseDecimal(shown.replace(/_/g, ""));
  return parts ? { parts, shown } : null;
}

function asString({ negative, digits, exponent }: DecimalParts): string {
  return `${negative ? "-" : ""}${digits}e${exponent}`;
}

function isIntegral({ digits, exponent }: DecimalParts): boolean {
  return exponent >= 0 || /^0*$/.test(digits.slice(exponent));
}

function integerPart({ negative, digits, exponent }: DecimalParts): string {
  const whole = exponent >= 0 ? digits + "0".repeat(exponent) : digits.slice(0, exponent) || "0";
  return `${negative && !/^0+$/.test(whole) ? "-" : ""}${whole}`;
}

const formatters = new Map<string, Intl.NumberFormat>();

function numberFormat(locale: string, decimals: number, grouping: boolean): Intl.NumberFormat {
  const key = `${locale}|${decimals}|${grouping}`;
  let format = formatters.get(key);
  if (!format) {
    const shown = Math.min(decimals, MAX_INTL_DECIMALS);
    format = new Intl.NumberFormat(locale, {
      minimumFractionDigits: shown,
      maximumFractionDigits: shown,
      roundingMode: "halfExpand",
      signDisplay: "negative",
      useGrouping: grouping,
    } as unknown as Intl.NumberFormatOptions);
    formatters.set(key, format);
  }
  return format;
}

/** A decimal string (exact, not through a float) through Intl; the decimals Intl cannot show are zeros. */
function formatDecimal(value: string, locale: string, decimals: number, grouping: boolean): string {
  // Intl.NumberFormat reads a string as an exact decimal (ECMA-402 NumberFormat v3).
  const formatted = numberFormat(locale, decimals, grouping).format(value as unknown as number);
  return decimals > MAX_INTL_DECIMALS ? formatted + "0".repeat(decimals - MAX_INTL_DECIMALS) : formatted;
}

/**
 * `floatformat`: one decimal unless the number is whole (`34.23234` -> "34.2", `34.0` -> "34"); `floatformat:3`
 * exactly 3; `floatformat:"-3"` 3 unless whole; suffix `g` groups thousands, `u` ignores the locale. Rounds half
 * away from zero on the decimal value ("1.005" -> "1.01" with 2), as Django's ROUND_HALF_UP.
 */
export function floatformat(_html: HtmlText, value: unknown, arg: unknown = -1): string {
  let grouping = false;
  let localized = true;
  let places: unknown = arg;
  if (typeof arg === "string") {
    const suffix = arg.slice(-2);
    if (suffix === "gu" || suffix === "ug") {
      grouping = true;
      localized = false;
      places = arg.slice(0, -2) || -1;
    } else if (arg.endsWith("g")) {
      grouping = true;
      places = arg.slice(0, -1) || -1;
    } else if (arg.endsWith("u")) {
      localized = false;
      places = arg.slice(0, -1) || -1;
    }
  }
  const number = decimalOf(value);
  if (!number) return "";
  const p = toInt(places);
  if (p === null) return number.shown;
  const { parts } = number;
  if (!Number.isFinite(parts.exponent) || parts.digits.length + Math.abs(parts.exponent) > MAX_DIGITS) return number.shown;
  const locale = localized ? kitSettings().locale : "en-US";
  if (isIntegral(parts) && p <= 0) return formatDecimal(integerPart(parts), locale, 0, grouping);
  return formatDecimal(asString(parts), locale, Math.abs(p), grouping);
}

/** `intcomma`: thousands separated by commas (the locale's separator): 4500 -> "4,500", 45000.5 -> "45,000.5". */
export function intcomma(_html: HtmlText, value: unknown): string {
  const locale = kitSettings().locale;
  const group = (integer: string): string => formatDecimal(integer, locale, 0, true);
  if (typeof value === "boolean") return group(value ? "1" : "0");
  if (typeof value === "bigint" || (typeof value === "number" && Number.isInteger(value))) return group(String(value));
  if (typeof value === "number" && Number.isFinite(value)) {
    const [whole, fraction] = String(value).split(".");
    if (/e/i.test(String(value))) return String(value);
    if (fraction === undefined) return group(whole);
    const separator = new Intl.NumberFormat(locale).formatToParts(1.5).find((part) => part.type === "decimal")?.value ?? ".";
    return `${whole === "-0" ? "-0" : group(whole)}${separator}${fraction}`;
  }
  const shown = text(value);
  if (/^\s*[+-]?\d[\d_]*\s*$/.test(shown)) return group(shown.replace(/_/g, "").trim());
  // Not an integer: Django groups the leading digits with commas and keeps the rest as it is.
  return shown.replace(/^-?\d+/, (digits) => digits.replace(/\B(?=(\d{3})+$)/g, ","));
}
