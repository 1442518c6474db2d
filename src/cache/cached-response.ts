/**
 * How a cached page answers a request: 304 when the client holds these bytes, a compressed copy when it takes one.
 * One function for the routes (through Fastify) and for the front door (straight onto the socket), so both
 * answer alike; `replyFromCache` also tells the cache which cookieless addresses the front door may answer.
 */
import type { IncomingHttpHeaders, IncomingMessage } from "node:http";
import type { FastifyReply, FastifyRequest } from "fastify";
import { negotiateEncoding } from "./negotiate-encoding.js";
import { type CachedPage, compressedBody, type PageCache, type RememberedPage } from "./page-cache.js";

export type CachedResponse = { status: number; headers: Record<string, string>; body: Buffer | undefined };

// Images are compressed already; text formats shrink to a fifth.
const COMPRESSIBLE = /^(text\/|application\/(json|xml|rss\+xml|atom\+xml|feed\+json))/;

/** Which of a page's answers a request gets: the client's copy is current, or the bytes in an encoding it takes. */
export type AnswerVariant = "not-modified" | "identity" | "gzip" | "br";

export function answerVariant(page: CachedPage, request: IncomingHttpHeaders): AnswerVariant {
  if (page.status === 200 && isNotModified(request, page)) return "not-modified";
  if (page.body.length <= 1024 || !COMPRESSIBLE.test(page.contentType)) return "identity";
  return negotiateEncoding(request["accept-encoding"], ["br", "gzip"]);
}

export function cachedResponse(page: CachedPage, variant: AnswerVariant): CachedResponse {
  const headers: Record<string, string> = {
    "content-type": page.contentType,
    etag: page.etag,
    "cache-control": page.cacheControl,
    vary: "Accept-Encoding",
  };
  if (page.lastModified) headers["last-modified"] = page.lastModified;
  if (variant === "not-modified") return { status: 304, headers, body: undefined };
  if (variant === "identity") return { status: page.status, headers, body: page.body };
  headers["content-encoding"] = variant;
  return { status: page.status, headers, body: compressedBody(page, variant) };
}

/**
 * Sends a cached page through Fastify. A reply already marked private (a signed-in reader's) keeps its own
 * Cache-Control and Vary. A cookieless GET whose reply is shared by everyone is remembered for the front door;
 * `onRepeat` is what answering it again must also do.
 */
export function replyFromCache(
  req: FastifyRequest,
  reply: FastifyReply,
  cache: PageCache,
  cached: RememberedPage,
): FastifyReply {
  const response = cachedResponse(cached.page, answerVariant(cached.page, req.headers));
  const personal = reply.hasHeader("cache-control") || reply.hasHeader("vary") || reply.hasHeader("set-cookie");
  for (const [name, value] of Object.entries(response.headers)) {
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
  req: FastifyRequest,
  reply: FastifyReply,
  cache: PageCache,
  key: string,
  onRepeat?: () => void,
): FastifyReply | undefined {
  const page = cache.get(key);
  return page && replyFromCache(req, reply, cache, { key, page, onRepeat });
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
function isNotModified(request: IncomingHttpHeaders, page: CachedPage): boolean {
  const ifNoneMatch = request["if-none-match"];
  if (ifNoneMatch !== undefined) {
    // A proxy that compresses may weaken the tag to W/"…"; it still names these bytes.
    return ifNoneMatch.split(",").some((tag) => ["*", page.etag, `W/${page.etag}`].includes(tag.trim()));
  }
  const since = Date.parse(request["if-modified-since"] ?? "");
  return page.lastModified !== undefined && !Number.isNaN(since) && Date.parse(page.lastModified) <= since;
}
