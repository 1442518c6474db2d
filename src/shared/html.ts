const ESCAPES: Record<string, string> = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" };

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ESCAPES[c] ?? c);
}

/** Only http(s) and mailto links, and site-relative paths, survive; anything else (javascript:, data:) is dropped. */
export function safeUrl(url: string): string | undefined {
  const trimmed = url.trim();
  if (trimmed.startsWith("/") && !trimmed.startsWith("//")) return trimmed;
  if (trimmed.startsWith("#")) return trimmed;
  try {
    const parsed = new URL(trimmed);
    if (parsed.protocol === "http:" || parsed.protocol === "https:" || parsed.protocol === "mailto:")
      return parsed.href;
  } catch {
    return undefined;
  }
  return undefined;
}

/**
 * Site-relative addresses in rendered HTML made absolute, for readers with no page to resolve them against
 * (feeds, the Content API): `src`, `href`, and every candidate of a `srcset`.
 */
export function absoluteUrls(html: string, publicUrl: string): string {
  const absolute = (url: string) => (url.startsWith("/") && !url.startsWith("//") ? publicUrl + url : url);
  return html
    .replace(/(\s(?:src|href)=")(\/[^"]*)"/g, (_, attr: string, url: string) => `${attr}${absolute(url)}"`)
    .replace(
      /(\ssrcset=")([^"]*)"/g,
      (_, attr: string, list: string) =>
        `${attr}${list
          .split(",")
          .map((candidate) => candidate.trim().replace(/^\S+/, absolute))
          .join(", ")}"`,
    );
}
