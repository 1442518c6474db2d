/**
 * When a digest is due: the latest hour at or before now, in the site's time zone, that a daily (every day) or
 * weekly (on its weekday) newsletter goes out at. Pure: the caller gives the time.
 */
import { dayOf } from "../shared/day-range.js";

const DAY_MS = 86_400_000;

export type DigestCadence = { cadence: string; sendHour: number | null; sendWeekday: number | null };

/** One due digest: its period (the local day it went due, YYYY-MM-DD) and the instant it went due. */
export type DigestDue = { period: string; dueAt: Date };

const hourFormats = new Map<string, Intl.DateTimeFormat>();

function localHour(instant: Date, timeZone: string): number {
  let format = hourFormats.get(timeZone);
  if (!format) {
    format = new Intl.DateTimeFormat("en-GB", { timeZone, hour: "2-digit", hourCycle: "h23" });
    hourFormats.set(timeZone, format);
  }
  return Number(format.format(instant));
}

/** How far a zone is ahead of UTC at an instant, in ms (whole minutes; zones have no seconds today). */
function offsetAt(instant: Date, timeZone: string): number {
  const parts = new Intl.DateTimeFormat("en-US", {
    timeZone,
    hourCycle: "h23",
    year: "numeric",
    month: "2-digit",
    day: "2-digit",
    hour: "2-digit",
    minute: "2-digit",
  }).formatToParts(instant);
  const n = (type: string) => Number(parts.find((p) => p.type === type)?.value);
  const asUtc = Date.UTC(n("year"), n("month") - 1, n("day"), n("hour"), n("minute"));
  return asUtc - Math.floor(instant.getTime() / 60_000) * 60_000;
}

/** The instant a local day and hour begin in a zone (an hour skipped by a clock change falls an hour later). */
export function instantOf(day: string, hour: number, timeZone: string): Date {
  const guess = Date.parse(`${day}T${String(hour).padStart(2, "0")}:00:00Z`);
  const first = guess - offsetAt(new Date(guess), timeZone);
  const second = guess - offsetAt(new Date(first), timeZone);
  return new Date(Math.max(first, second));
}

const weekdayOf = (day: string) => new Date(`${day}T00:00:00Z`).getUTCDay();
const dayBefore = (day: string, days = 1) =>
  new Date(Date.parse(`${day}T00:00:00Z`) - days * DAY_MS).toISOString().slice(0, 10);

/** The latest digest due at or before `now`; undefined for a cadence without digests or without its hour. */
export function latestDigestDue(newsletter: DigestCadence, now: Date, timeZone: string): DigestDue | undefined {
  const { cadence, sendHour, sendWeekday } = newsletter;
  if (sendHour === null || (cadence !== "daily" && cadence !== "weekly")) return undefined;
  if (cadence === "weekly" && sendWeekday === null) return undefined;
  let day = dayOf(now, timeZone);
  if (localHour(now, timeZone) < sendHour) day = dayBefore(day);
  if (cadence === "weekly") day = dayBefore(day, (weekdayOf(day) - (sendWeekday ?? 0) + 7) % 7);
  const dueAt = instantOf(day, sendHour, timeZone);
  // A clock change can put the hour a moment after now; it is then not due yet.
  if (dueAt > now) return undefined;
  return { period: day, dueAt };
}
