/** The meter's month: calendar months in the site's time zone. */

export type MeterPeriod = { month: string; renewsOn: string };

// Making an Intl.DateTimeFormat costs more than the rest of a metered read together: one per time zone, and
// one period per zone and minute (a month starts on a whole minute in every zone in use today).
const formats = new Map<string, Intl.DateTimeFormat>();
const periods = new Map<string, { minute: number; period: MeterPeriod }>();

export function meterPeriod(now: Date, timeZone: string): MeterPeriod {
  const minute = Math.floor(now.getTime() / 60_000);
  const known = periods.get(timeZone);
  if (known?.minute === minute) return known.period;
  const period = periodAt(now, timeZone);
  periods.set(timeZone, { minute, period });
  return period;
}

function periodAt(now: Date, timeZone: string): MeterPeriod {
  let format = formats.get(timeZone);
  if (!format) {
    format = new Intl.DateTimeFormat("en-CA", { timeZone, year: "numeric", month: "2-digit" });
    formats.set(timeZone, format);
  }
  const parts = format.formatToParts(now);
  const year = Number(parts.find((p) => p.type === "year")?.value);
  const month = Number(parts.find((p) => p.type === "month")?.value);
  const next = month === 12 ? { year: year + 1, month: 1 } : { year, month: month + 1 };
  const pad = (n: number) => String(n).padStart(2, "0");
  return { month: `${year}-${pad(month)}`, renewsOn: `${next.year}-${pad(next.month)}-01` };
}
