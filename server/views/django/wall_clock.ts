/** A moment as a clock on the wall of one time zone shows it, read through Intl.DateTimeFormat. */
export interface WallClock {
  year: number;
  /** 1-12 */
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
  millisecond: number;
  /** Offset from UTC in minutes (east positive). */
  offsetMinutes: number;
  /** The same wall time as a UTC timestamp: for day arithmetic that must not see the offset. */
  naiveMs: number;
}

const readers = new Map<string, Intl.DateTimeFormat>();

function reader(timeZone: string | undefined): Intl.DateTimeFormat {
  const key = timeZone ?? "";
  let format = readers.get(key);
  if (!format) {
    format = new Intl.DateTimeFormat("en-US", {
      timeZone,
      hourCycle: "h23",
      year: "numeric",
      month: "numeric",
      day: "numeric",
      hour: "numeric",
      minute: "numeric",
      second: "numeric",
      era: "short",
    });
    readers.set(key, format);
  }
  return format;
}

/** The wall clock of `date` in `timeZone` (the server's own when undefined). */
export function wallClock(date: Date, timeZone: string | undefined): WallClock {
  const parts: Record<string, string> = {};
  for (const part of reader(timeZone).formatToParts(date)) parts[part.type] = part.value;
  const yearOfEra = Number(parts.year);
  const year = parts.era === "BC" || parts.era === "B" ? 1 - yearOfEra : yearOfEra;
  const month = Number(parts.month);
  const day = Number(parts.day);
  const hour = Number(parts.hour);
  const minute = Number(parts.minute);
  const second = Number(parts.second);
  const millisecond = ((date.getTime() % 1000) + 1000) % 1000;
  const naive = new Date(0);
  naive.setUTCFullYear(year, month - 1, day);
  naive.setUTCHours(hour, minute, second, millisecond);
  const naiveMs = naive.getTime();
  return {
    year,
    month,
    day,
    hour,
    minute,
    second,
    millisecond,
    offsetMinutes: Math.round((naiveMs - date.getTime()) / 60000),
    naiveMs,
  };
}

/** A date from what templates hand a date filter: a Date, a timestamp in ms, or an ISO 8601 string; else null. */
export function toDate(value: unknown): Date | null {
  let date: Date | null = null;
  if (value instanceof Date) date = value;
  else if (typeof value === "number") date = new Date(value);
  else if (typeof value === "string" && value.trim() !== "") date = new Date(value);
  return date && !Number.isNaN(date.getTime()) ? date : null;
}
