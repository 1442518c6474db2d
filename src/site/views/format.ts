const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(language: string, timeZone: string, options: Intl.DateTimeFormatOptions, name: string) {
  const key = `${language}|${timeZone}|${name}`;
  let f = formatters.get(key);
  if (!f) {
    f = new Intl.DateTimeFormat(language, { timeZone, ...options });
    formatters.set(key, f);
  }
  return f;
}

/** "28 November 2026, 14:05" in the site's time zone. */
export function formatDateTime(date: Date, language: string, timeZone: string): string {
  return formatter(
    language === "en" ? "en-GB" : language,
    timeZone,
    { dateStyle: "long", timeStyle: "short" },
    "dt",
  ).format(date);
}

/** "Saturday 28 November 2026" for the masthead. */
export function formatLongDate(date: Date, language: string, timeZone: string): string {
  return formatter(
    language === "en" ? "en-GB" : language,
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
  return formatter(
    language === "en" ? "en-GB" : language,
    timeZone,
    { day: "numeric", month: "short" },
    "short",
  ).format(date);
}

export const KIND_LABELS: Record<string, string> = {
  news: "News",
  analysis: "Analysis",
  opinion: "Opinion",
  feature: "Feature",
  explainer: "Explainer",
};
