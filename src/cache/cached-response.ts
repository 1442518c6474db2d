/**
 * How a cached page answers a request: 304 when the client holds these bytes, a compressed copy when it takes one.
 * One function for the routes (through Fastify) and for the front door (straight onto the socket), so both
 * answer alike; `replyFromCache` also tells the cache which cookieless addresses the front door may answer.
 */
import type { IncomingHttpHeaders, IncomingMessage } from "node:http";
import type { FastifyReply, FastifyRequest } from "fastify";
import { cachePolicyHeaders, surrogateKeyHeaders } from "./cache-policy.js";
import { negotiateEncoding } from "./negotiate-encoding.js";
import { type CachedPage, compressedBody, type OnRepeat, type PageCache, type RememberedPage } from "./page-cache.js";

export type CachedResponse = { status: number; headers: Record<string, string>; body: Buffer | undefined };

// Images are compressed already; text formats shrink to a fifth. Below a kilobyte, the saving is not worth it.
export const COMPRESSIBLE = /^(text\/|application\/(json|xml|rss\+xml|atom\+xml|feed\+json))/;
export const MIN_COMPRESSED_BYTES = 1024;

const SHARED_CACHE_HEADERS = new Set(["cdn-cache-control", "surrogate-control", "surrogate-key", "cache-tag"]);

/** A page's headers for an answer with a policy of its own (private): no shared lifetime, nothing to purge. */
export function withoutSharedCacheHeaders(headers: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(headers).filter(([name]) => !SHARED_CACHE_HEADERS.has(name)));
}

type Encoding = "identity" | "gzip" | "br";

/** Which of a page's answers a request gets: the bytes in an encoding it takes, or a 304 when it holds them. */
export type AnswerVariant = Encoding | `${Encoding}:304`;

export function answerVariant(page: CachedPage, request: IncomingHttpHeaders): AnswerVariant {
  const encoding =
    page.body.length <= MIN_COMPRESSED_BYTES || !COMPRESSIBLE.test(page.contentType)
      ? "identity"
      : negotiateEncoding(request["accept-encoding"], ["br", "gzip"]);
  return page.status === 200 && isNotModified(request, etagOf(page, encoding), page.lastModified)
    ? `${encoding}:304`
    : encoding;
}

export function cachedResponse(page: CachedPage, variant: AnswerVariant): CachedResponse {
  const [encoding, notModified] = variant.split(":") as [Encoding, string | undefined];
  const headers: Record<string, string> = {
    "content-type": page.contentType,
    etag: etagOf(page, encoding),
    ...cachePolicyHeaders(page.kind),
    ...surrogateKeyHeaders([...page.tags, ...(page.edgeKeys ?? [])]),
  };
  if (page.lastModified) headers["last-modified"] = page.lastModified;
  if (notModified) return { status: 304, headers, body: undefined };
  if (encoding === "identity") return { status: page.status, headers, body: page.body };
  headers["content-encoding"] = encoding;
  return { status: page.status, headers, body: compressedBody(page, encoding) };
}

/**
 * A strong validator names one representation (RFC 9110 §8.8.1): each encoding's bytes have a tag of their own,
 * so a 304 never confirms a copy in another encoding.
 */
export function etagOf(page: Pick<CachedPage, "etag">, encoding: Encoding): string {
  return encoding === "identity" ? page.etag : `${page.etag.slice(0, -1)}-${encoding}"`;
}

/**
 * Sends a cached page through Fastify. A reply already marked private (a signed-in reader's) keeps its own
 * Cache-Control and Vary. A cookieless GET whose reply is shared by everyone is remembered for the front door;
 * `onRepeat` is what answering it again must also do.
 */
export function replyFromCache(
  cache: PageCache,
  input: RememberedPage & { req: FastifyRequest; reply: FastifyReply },
): FastifyReply {
  const { req, reply, ...cached } = input;
  const response = cachedResponse(cached.page, answerVariant(cached.page, req.headers));
  const ownPolicy = reply.hasHeader("cache-control");
  const personal = ownPolicy || reply.hasHeader("vary") || reply.hasHeader("set-cookie");
  const headers = ownPolicy ? withoutSharedCacheHeaders(response.headers) : response.headers;
  for (const [name, value] of Object.entries(headers)) {
    const keepsOwn = (name === "cache-control" || name === "vary") && reply.hasHeader(name);
    if (!keepsOwn) reply.header(name, value);
  }
  if (!personal && isCookieless(req.raw) && cached.page.status === 200) {
    cache.rememberAddress(req.raw.url ?? "", cached);
  }
  return reply.code(response.status).send(response.body);
}

/** Sends the page cached at `key`, if there is one; `onRepeat` is what serving it to a GET must also do (count a view). */
export function sendCached(
  cache: PageCache,
  input: { req: FastifyRequest; reply: FastifyReply; key: string; onRepeat?: OnRepeat | undefined },
): FastifyReply | undefined {
  const page = cache.get(input.key);
  return page && replyFromCache(cache, { ...input, page });
}

/** Only what may be shared: a page read without cookies or credentials by GET or HEAD. */
export function isCookieless(req: IncomingMessage): boolean {
  return (
    (req.method === "GET" || req.method === "HEAD") &&
    req.headers.cookie === undefined &&
    req.headers.authorization === undefined
  );
}

/** RFC 9110 §13.2.2: If-None-Match decides when present; If-Modified-Since only without it. */
export function isNotModified(request: IncomingHttpHeaders, etag: string, lastModified?: string): boolean {
  const ifNoneMatch = request["if-none-match"];
  if (ifNoneMatch !== undefined) {
    // The weak comparison (§8.8.3.2) If-None-Match asks for: a proxy that weakens the tag still names these bytes.
    return ifNoneMatch.split(",").some((tag) => ["*", etag].includes(tag.trim().replace(/^W\//, "")));
  }
  const since = Date.parse(request["if-modified-since"] ?? "");
  return lastModified !== undefined && !Number.isNaN(since) && Date.parse(lastModified) <= since;
}
