const formatters = new Map<string, Intl.DateTimeFormat>();

/** A newspaper in English writes "6 May 2031", as British English does. */
function localeOf(language: string): string {
  return language === "en" ? "en-GB" : language;
}

function formatter(language: string, timeZone: string, options: Intl.DateTimeFormatOptions, name: string) {
  const key = `${language}|${timeZone}|${name}`;
  let f = formatters.get(key);
  if (!f) {
    f = new Intl.DateTimeFormat(localeOf(language), { timeZone, ...options });
    formatters.set(key, f);
  }
  return f;
}

/** "28 November 2026, 14:05" in the site's time zone. */
export function formatDateTime(date: Date, language: string, timeZone: string): string {
  return formatter(language, timeZone, { dateStyle: "long", timeStyle: "short" }, "dt").format(date);
}

/** "Saturday 28 November 2026" for the masthead. */
export function formatLongDate(date: Date, language: string, timeZone: string): string {
  return formatter(
    language,
    timeZone,
    { weekday: "long", day: "numeric", month: "long", year: "numeric" },
    "long",
  ).format(date);
}

/** "3 hours ago" for recent items, else the date. */
export function formatRelative(date: Date, now: Date, language: string, timeZone: string): string {
  const minutes = Math.round((now.getTime() - date.getTime()) / 60_000);
  if (minutes < 1) return "Just now";
  if (minutes < 60) return `${minutes} min ago`;
  const hours = Math.round(minutes / 60);
  if (hours < 24) return `${hours} hour${hours === 1 ? "" : "s"} ago`;
  return formatter(language, timeZone, { day: "numeric", month: "short" }, "short").format(date);
}

/** A calendar day, `YYYY-MM-DD`, as "1 June": read in UTC so no time zone moves it to another day. */
export function formatDay(day: string, language: string): string {
  return formatter(language, "UTC", { day: "numeric", month: "long" }, "day").format(new Date(`${day}T00:00:00Z`));
}

/** "€4.99": an amount in minor units (cents) of a currency. */
export function formatMoney(amountMinor: number, currency: string, language: string): string {
  return new Intl.NumberFormat(localeOf(language), { style: "currency", currency }).format(amountMinor / 100);
}

export const KIND_LABELS: Record<string, string> = {
  news: "News",
  analysis: "Analysis",
  opinion: "Opinion",
  feature: "Feature",
  explainer: "Explainer",
};
