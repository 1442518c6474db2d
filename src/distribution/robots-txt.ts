/** robots.txt: crawl everything readers see; keep out of accounts, the newsroom, the APIs and search results. */

// Each private path exactly and what lies under it, never as a bare prefix: "Disallow: /admin" would also hide
// every article in a section called "administration". `$` ends a pattern (RFC 9309).
const PRIVATE_PATHS = ["/admin", "/account", "/signin"];

export function renderRobotsTxt(publicUrl: string): string {
  return [
    "User-agent: *",
    ...PRIVATE_PATHS.flatMap((path) => [`Disallow: ${path}$`, `Disallow: ${path}/`, `Disallow: ${path}?`]),
    "Disallow: /ghost/",
    "Disallow: /search?",
    "Allow: /",
    "",
    `Sitemap: ${publicUrl}/sitemap.xml`,
    `Sitemap: ${publicUrl}/sitemap-news.xml`,
    "",
  ].join("\n");
}
