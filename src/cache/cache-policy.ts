/**
 * The one cache policy: for each kind of answer, what a browser may keep, what a shared cache in front of the
 * origin (a CDN, Varnish) may keep, and what the answer varies on. A browser is never told when something changes,
 * so it keeps a page briefly; the CDN is purged by surrogate key on every change (the cdn module), so it keeps
 * pages for a day, and serves them stale for a week when the origin is down. See docs/adr/0008.
 */

/**
 * - `page`: the same for every reader without a session (a free article, a paid article's preview, the front page,
 *   a section, a 404 that a publication may end);
 * - `personal`: shaped by the reader's cookies (a signed-in reader, a metered article's meter), never shared;
 * - `feed`, `sitemap`, `content-api`: documents for programs; `asset`: named by its content, never changes;
 * - `error`: an answer that is not the page (a refusal, a failure), kept nowhere.
 */
export type AnswerKind = "page" | "personal" | "feed" | "sitemap" | "content-api" | "asset" | "error";

/** The answers the page cache keeps: the others are sent as they are made. */
export type CachedKind = Extract<AnswerKind, "page" | "feed" | "sitemap" | "content-api" | "asset">;

type Policy = {
  /** Cache-Control: for browsers, and for shared caches that read no header of their own. */
  browser: string;
  /** CDN-Cache-Control (RFC 9213, read by Cloudflare and Akamai) and Surrogate-Control (Fastly, our VCL). */
  shared?: string;
  vary: string;
};

const DAY = 86_400;
// Kept at the edge until purged; served stale while the origin is redeployed or down.
const EDGE = `max-age=${DAY}, stale-while-revalidate=60, stale-if-error=${7 * DAY}`;
const NOT_SHARED = "no-store";

const POLICIES: Readonly<Record<AnswerKind, Policy>> = {
  // Cookie: a reader with a session gets another page at the same address (their class, their access).
  page: {
    browser: `public, max-age=30, stale-while-revalidate=30, stale-if-error=${DAY}`,
    shared: EDGE,
    vary: "Accept-Encoding, Cookie",
  },
  personal: { browser: "private, no-cache", shared: NOT_SHARED, vary: "Accept-Encoding, Cookie" },
  feed: {
    browser: `public, max-age=300, stale-while-revalidate=600, stale-if-error=${DAY}`,
    shared: EDGE,
    vary: "Accept-Encoding",
  },
  sitemap: {
    browser: `public, max-age=3600, stale-while-revalidate=600, stale-if-error=${DAY}`,
    shared: EDGE,
    vary: "Accept-Encoding",
  },
  // As Ghost: a client asks again each time (the ETag makes that a 304). The edge keeps it: the API key is in the
  // address, and revoking one purges every answer (`content-api`).
  "content-api": { browser: "public, max-age=0", shared: EDGE, vary: "Accept-Version, Accept-Encoding" },
  asset: { browser: "public, max-age=31536000, immutable", vary: "Accept-Encoding" },
  error: { browser: "no-store", shared: NOT_SHARED, vary: "Accept-Encoding" },
};

/** The caching headers of an answer of `kind`, in lower case as Node keeps them. */
export function cachePolicyHeaders(kind: AnswerKind): Record<string, string> {
  const policy = POLICIES[kind];
  const headers: Record<string, string> = { "cache-control": policy.browser, vary: policy.vary };
  if (policy.shared) {
    headers["cdn-cache-control"] = policy.shared;
    headers["surrogate-control"] = policy.shared;
  }
  return headers;
}

/**
 * What an answer shows, as surrogate keys a purge names: the page cache's tags. Surrogate-Key (Fastly, and our
 * VCL's xkey) is space-separated; Cache-Tag (Cloudflare) comma-separated. Tags are ids and fixed words, never
 * anything a reader typed.
 */
export function surrogateKeyHeaders(tags: readonly string[]): Record<string, string> {
  if (tags.length === 0) return {};
  return { "surrogate-key": tags.join(" "), "cache-tag": tags.join(",") };
}
