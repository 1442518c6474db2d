/** The meter's month: calendar months in the site's time zone. */

export type MeterPeriod = { month: string; renewsOn: string };

export function meterPeriod(now: Date, timeZone: string): MeterPeriod {
  const parts = new Intl.DateTimeFormat("en-CA", { timeZone, year: "numeric", month: "2-digit" }).formatToParts(now);
  const year = Number(parts.find((p) => p.type === "year")?.value);
  const month = Number(parts.find((p) => p.type === "month")?.value);
  const next = month === 12 ? { year: year + 1, month: 1 } : { year, month: month + 1 };
  const pad = (n: number) => String(n).padStart(2, "0");
  return { month: `${year}-${pad(month)}`, renewsOn: `${next.year}-${pad(next.month)}-01` };
}
