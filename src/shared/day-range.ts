/**
 * A run of calendar days in the paper's time zone, for the newsroom's daily figures: "today" is the reader's
 * today in Baku, not in UTC.
 */
export type DayRange = {
  /** The first day, YYYY-MM-DD. */
  from: string;
  days: number;
  /** An IANA zone, as in the site's settings. */
  timeZone: string;
};

const DAY_MS = 86_400_000;

/** The calendar day (YYYY-MM-DD) an instant falls on in a time zone. */
export function dayOf(instant: Date, timeZone: string): string {
  // en-CA formats a date as YYYY-MM-DD.
  return new Intl.DateTimeFormat("en-CA", { timeZone, year: "numeric", month: "2-digit", day: "2-digit" }).format(
    instant,
  );
}

/** The `days` days ending with the one `now` falls on. */
export function dayRangeEnding(now: Date, timeZone: string, days: number): DayRange {
  const today = Date.parse(`${dayOf(now, timeZone)}T00:00:00Z`);
  return { from: new Date(today - (days - 1) * DAY_MS).toISOString().slice(0, 10), days, timeZone };
}

/** Every day of the range, oldest first. */
export function daysOf(range: DayRange): string[] {
  const first = Date.parse(`${range.from}T00:00:00Z`);
  return Array.from({ length: range.days }, (_, i) => new Date(first + i * DAY_MS).toISOString().slice(0, 10));
}

/** One figure per day of the range, oldest first, from rows that name only the days that had any. */
export function seriesOf(range: DayRange, rows: readonly { day: string; n: number | string }[]): number[] {
  const byDay = new Map(rows.map((r) => [String(r.day).slice(0, 10), Number(r.n)]));
  return daysOf(range).map((day) => byDay.get(day) ?? 0);
}
