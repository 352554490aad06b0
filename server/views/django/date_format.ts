import type { HtmlText } from "./html_text.js";
import { kitSettings } from "./kit_settings.js";
import { toDate, wallClock, type WallClock } from "./wall_clock.js";

/** Django's named formats (English defaults), usable as the argument: `date:"SHORT_DATE_FORMAT"`. */
export const NAMED_FORMATS: Readonly<Record<string, string>> = {
  DATE_FORMAT: "N j, Y",
  DATETIME_FORMAT: "N j, Y, P",
  TIME_FORMAT: "P",
  YEAR_MONTH_FORMAT: "F Y",
  MONTH_DAY_FORMAT: "F j",
  SHORT_DATE_FORMAT: "m/d/Y",
  SHORT_DATETIME_FORMAT: "m/d/Y P",
};

/** Associated Press month abbreviations (`N`), English as in Django's default translation. */
const MONTHS_AP = ["Jan.", "Feb.", "March", "April", "May", "June", "July", "Aug.", "Sept.", "Oct.", "Nov.", "Dec."];
const RFC_DAYS = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"];
const RFC_MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];
const DAY_MS = 86_400_000;
/** A format character not preceded by a backslash; `\x` is a literal x. */
const FORMAT_CHARS = /(?<!\\)([aAbcdDeEfFgGhHiIjlLmMnNoOPrsStTUuwWyYzZ])/;

const pad = (value: number, width = 2): string => String(Math.abs(value)).padStart(width, "0");

const nameFormats = new Map<string, Intl.DateTimeFormat>();
function names(locale: string, timeZone: string | undefined, options: Intl.DateTimeFormatOptions): Intl.DateTimeFormat {
  const key = `${locale}|${timeZone ?? ""}|${JSON.stringify(options)}`;
  let format = nameFormats.get(key);
  if (!format) nameFormats.set(key, (format = new Intl.DateTimeFormat(locale, { ...options, timeZone })));
  return format;
}

/** One moment being formatted: its wall clock, and Intl for names in the kit's locale and time zone. */
class Moment {
  readonly clock: WallClock;
  /** 0 = Sunday ... 6 = Saturday, of the wall-clock date. */
  readonly weekday: number;

  constructor(
    readonly date: Date,
    readonly timeZone: string | undefined,
    readonly locale: string,
  ) {
    this.clock = wallClock(date, timeZone);
    this.weekday = new Date(this.clock.naiveMs).getUTCDay();
  }

  name(options: Intl.DateTimeFormatOptions, type: Intl.DateTimeFormatPartTypes): string {
    const parts = names(this.locale, this.timeZone, options).formatToParts(this.date);
    return parts.find((part) => part.type === type)?.value ?? "";
  }

  tzName(): string {
    return this.name({ timeZoneName: "short" }, "timeZoneName");
  }

  offset(separator: string): string {
    const minutes = this.clock.offsetMinutes;
    return `${minutes < 0 ? "-" : "+"}${pad(Math.trunc(minutes / 60))}${separator}${pad(minutes % 60)}`;
  }

  /** Daylight saving time: the offset is more than the smaller of January's and July's. */
  isDst(): boolean {
    const { year } = this.clock;
    const january = wallClock(new Date(Date.UTC(year, 0, 1)), this.timeZone).offsetMinutes;
    const july = wallClock(new Date(Date.UTC(year, 6, 1)), this.timeZone).offsetMinutes;
    return january !== july && this.clock.offsetMinutes > Math.min(january, july);
  }

  dayOfYear(): number {
    const { year, month, day } = this.clock;
    return Math.round((utc(year, month - 1, day) - utc(year, 0, 1)) / DAY_MS) + 1;
  }

  /** ISO 8601 week number and its year (weeks start on Monday; week 1 holds the year's first Thursday). */
  isoWeek(): { week: number; year: number } {
    const { year, month, day } = this.clock;
    const thursday = new Date(utc(year, month - 1, day + 3 - ((this.weekday + 6) % 7)));
    const isoYear = thursday.getUTCFullYear();
    const week = Math.floor((thursday.getTime() - utc(isoYear, 0, 1)) / DAY_MS / 7) + 1;
    return { week, year: isoYear };
  }
}

/** Midnight UTC of a date, years 0-99 included (Date.UTC reads those as 1900-1999). */
function utc(year: number, monthIndex: number, day: number): number {
  const date = new Date(0);
  date.setUTCFullYear(year, monthIndex, day);
  return date.getTime();
}

const hour12 = (hour: number): number => hour % 12 || 12;
const fTime = ({ hour, minute }: WallClock): string => (minute ? `${hour12(hour)}:${pad(minute)}` : String(hour12(hour)));
const meridiem = (hour: number): string => (hour > 11 ? "p.m." : "a.m.");

/** Django's format characters, each reading the moment. */
const CHARACTERS: Readonly<Record<string, (m: Moment) => string>> = {
  a: (m) => meridiem(m.clock.hour),
  A: (m) => (m.clock.hour > 11 ? "PM" : "AM"),
  b: (m) => m.name({ month: "short" }, "month").toLowerCase().slice(0, 3),
  c: (m) => {
    const { year, month, day, hour, minute, second, millisecond } = m.clock;
    const micro = millisecond ? `.${pad(millisecond * 1000, 6)}` : "";
    return `${pad(year, 4)}-${pad(month)}-${pad(day)}T${pad(hour)}:${pad(minute)}:${pad(second)}${micro}${m.offset(":")}`;
  },
  d: (m) => pad(m.clock.day),
  D: (m) => m.name({ weekday: "short" }, "weekday"),
  e: (m) => m.tzName(),
  E: (m) => m.name({ day: "numeric", month: "long" }, "month"),
  f: (m) => fTime(m.clock),
  F: (m) => m.name({ month: "long" }, "month"),
  g: (m) => String(hour12(m.clock.hour)),
  G: (m) => String(m.clock.hour),
  h: (m) => pad(hour12(m.clock.hour)),
  H: (m) => pad(m.clock.hour),
  i: (m) => pad(m.clock.minute),
  I: (m) => (m.isDst() ? "1" : "0"),
  j: (m) => String(m.clock.day),
  l: (m) => m.name({ weekday: "long" }, "weekday"),
  L: (m) => (isLeap(m.clock.year) ? "True" : "False"),
  m: (m) => pad(m.clock.month),
  M: (m) => {
    const short = m.name({ month: "short" }, "month").slice(0, 3);
    return short.charAt(0).toUpperCase() + short.slice(1).toLowerCase();
  },
  n: (m) => String(m.clock.month),
  N: (m) => MONTHS_AP[m.clock.month - 1],
  o: (m) => String(m.isoWeek().year),
  O: (m) => m.offset(""),
  P: (m) => {
    const { hour, minute } = m.clock;
    if (minute === 0 && hour === 0) return "midnight";
    if (minute === 0 && hour === 12) return "noon";
    return `${fTime(m.clock)} ${meridiem(hour)}`;
  },
  r: (m) => {
    const { year, month, day, hour, minute, second } = m.clock;
    return `${RFC_DAYS[m.weekday]}, ${pad(day)} ${RFC_MONTHS[month - 1]} ${pad(year, 4)} ${pad(hour)}:${pad(minute)}:${pad(second)} ${m.offset("")}`;
  },
  s: (m) => pad(m.clock.second),
  S: (m) => ordinal(m.clock.day),
  t: (m) => String(new Date(utc(m.clock.year, m.clock.month, 0)).getUTCDate()),
  T: (m) => m.tzName(),
  u: (m) => pad(m.clock.millisecond * 1000, 6),
  U: (m) => String(Math.floor(m.date.getTime() / 1000)),
  w: (m) => String(m.weekday),
  W: (m) => String(m.isoWeek().week),
  y: (m) => pad(m.clock.year % 100),
  Y: (m) => pad(m.clock.year, 4),
  z: (m) => String(m.dayOfYear()),
  Z: (m) => String(m.clock.offsetMinutes * 60),
};

const isLeap = (year: number): boolean => (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;

function ordinal(day: number): string {
  if (day >= 11 && day <= 13) return "th";
  return ["th", "st", "nd", "rd"][day % 10] ?? "th";
}

/** Formats `date` with Django's format characters (`"Y-m-d H:i"`, `"D d M Y"`, `"N j, Y, P"`). */
export function formatDate(date: Date, format: string, timeZone: string | undefined, locale: string): string {
  const moment = new Moment(date, timeZone, locale);
  return format
    .split(FORMAT_CHARS)
    .map((piece, index) => (index % 2 ? CHARACTERS[piece](moment) : piece.replace(/\\(.)/g, "$1")))
    .join("");
}

/**
 * `date:"Y-m-d"`: a Date, timestamp or ISO string in Django's format characters, in the kit's time zone;
 * no argument is DATE_FORMAT ("N j, Y"); a named format ("SHORT_DATE_FORMAT") works too. "" for anything else.
 */
export function dateFilter(_html: HtmlText, value: unknown, arg?: unknown): string {
  const date = toDate(value);
  if (!date) return "";
  const format = arg === undefined || arg === null || arg === "" ? NAMED_FORMATS.DATE_FORMAT : String(arg);
  const { timeZone, locale } = kitSettings();
  return formatDate(date, NAMED_FORMATS[format] ?? format, timeZone, locale);
}
