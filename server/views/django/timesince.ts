import type { HtmlText } from "./html_text.js";
import { kitSettings } from "./kit_settings.js";
import { toDate, wallClock, type WallClock } from "./wall_clock.js";

const NBSP = "\u00a0";
const UNITS = ["year", "month", "week", "day", "hour", "minute"] as const;
const CHUNKS_S = [7 * 86_400, 86_400, 3_600, 60];
/** Django's table: February has 28 days when it places the pivot, leap year or not. */
const MONTH_DAYS = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
const DEPTH = 2;

const unit = (count: number, name: string): string => `${count}${NBSP}${name}${count === 1 ? "" : "s"}`;

/** Wall-clock time of day in ms, to compare two dates of the same day number. */
const timeOfDay = (c: WallClock): number => ((c.hour * 60 + c.minute) * 60 + c.second) * 1000 + c.millisecond;

function naive(year: number, month: number, day: number, c: WallClock): number {
  const date = new Date(0);
  date.setUTCFullYear(year, month - 1, day);
  date.setUTCHours(c.hour, c.minute, c.second, 0);
  return date.getTime();
}

/**
 * The time between two moments as Django's timesince: the two largest adjacent units among years, months, weeks,
 * days, hours and minutes ("1 year, 3 months", "2 weeks, 3 days"; never "2 weeks, 3 hours"), counted on the
 * calendar of the kit's time zone, numbers and units joined by a no-break space. "0 minutes" when `to` is not later.
 */
export function timeBetween(from: Date, to: Date, timeZone: string | undefined): string {
  const d = wallClock(from, timeZone);
  const now = wallClock(to, timeZone);
  const since = Math.floor((now.naiveMs - d.naiveMs) / 1000); // whole seconds, as Django ignores microseconds
  if (since <= 0) return unit(0, "minute");
  let totalMonths = (now.year - d.year) * 12 + (now.month - d.month);
  if (d.day > now.day || (d.day === now.day && timeOfDay(d) > timeOfDay(now))) totalMonths--;
  const years = Math.floor(totalMonths / 12);
  const months = totalMonths % 12;
  let pivot = d.naiveMs;
  if (years || months) {
    let pivotYear = d.year + years;
    let pivotMonth = d.month + months;
    if (pivotMonth > 12) {
      pivotMonth -= 12;
      pivotYear++;
    }
    pivot = naive(pivotYear, pivotMonth, Math.min(MONTH_DAYS[pivotMonth - 1], d.day), d);
  }
  let remaining = (now.naiveMs - pivot) / 1000;
  const counts = [years, months];
  for (const chunk of CHUNKS_S) {
    const count = Math.floor(remaining / chunk);
    counts.push(count);
    remaining -= chunk * count;
  }
  const first = counts.findIndex((count) => count !== 0);
  if (first === -1) return unit(0, "minute");
  const parts: string[] = [];
  for (let i = first; i < counts.length && parts.length < DEPTH && counts[i] !== 0; i++) parts.push(unit(counts[i], UNITS[i]));
  return parts.join(", ");
}

/** `timesince`, `timesince:other`: how long ago the date was ("4 days, 6 hours"), until now or until `other`. */
export function timesince(_html: HtmlText, value: unknown, arg?: unknown): string {
  const from = toDate(value);
  if (!from) return "";
  const to = arg === undefined || arg === null || arg === "" ? new Date() : toDate(arg);
  return to ? timeBetween(from, to, kitSettings().timeZone) : "";
}

/** `timeuntil`, `timeuntil:other`: how long until the date ("4 days, 6 hours"), from now or from `other`. */
export function timeuntil(_html: HtmlText, value: unknown, arg?: unknown): string {
  const until = toDate(value);
  if (!until) return "";
  const from = arg === undefined || arg === null || arg === "" ? new Date() : toDate(arg);
  return from ? timeBetween(from, until, kitSettings().timeZone) : "";
}
