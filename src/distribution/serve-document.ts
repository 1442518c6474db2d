/** Feeds, sitemaps and robots.txt from the page cache: ETag and Last-Modified, 304s, compressed copies. */
import type { FastifyReply, FastifyRequest } from "fastify";
import { type CachedPage, compressedBody, type PageCache } from "../cache/index.js";
import type { Clock } from "../shared/clock.js";

export type ServeDeps = { cache: PageCache; clock: Clock };

/** A document to send and keep, or the new address of something that moved. */
export type RenderedDocument =
  | { kind: "document"; body: string; contentType: string; tags: string[] }
  | { kind: "moved"; location: string };

const CACHE_CONTROL = "public, max-age=300, stale-while-revalidate=600";
// The page cache keeps bytes and tags only; the time of rendering rides along as a tag nothing invalidates.
const MODIFIED_TAG = "modified:";

/** Sends the cached copy at `key`, or renders, keeps and sends a fresh one. */
export async function serveDocument(
  req: FastifyRequest,
  reply: FastifyReply,
  deps: ServeDeps,
  input: { key: string; render: () => Promise<RenderedDocument> },
): Promise<FastifyReply> {
  const hit = deps.cache.get(input.key);
  if (hit) return sendDocument(req, reply, hit);
  const ticket = deps.cache.ticket();
  const rendered = await input.render();
  if (rendered.kind === "moved") return reply.redirect(rendered.location, 301);
  // Stamped when rendered rather than from the newest article: a feed also changes when an article leaves it or
  // a section is renamed, and a date too early would answer 304 to a reader who has the old version.
  const modified = deps.clock.now().toUTCString();
  const page = deps.cache.store(
    input.key,
    {
      status: 200,
      contentType: rendered.contentType,
      body: Buffer.from(rendered.body),
      tags: [...rendered.tags, MODIFIED_TAG + modified],
    },
    ticket,
  );
  return sendDocument(req, reply, page);
}

function sendDocument(req: FastifyRequest, reply: FastifyReply, page: CachedPage): FastifyReply {
  const modified = page.tags.find((tag) => tag.startsWith(MODIFIED_TAG))?.slice(MODIFIED_TAG.length);
  reply.header("content-type", page.contentType);
  reply.header("etag", page.etag);
  if (modified) reply.header("last-modified", modified);
  reply.header("cache-control", CACHE_CONTROL);
  reply.header("vary", "Accept-Encoding");
  if (isNotModified(req, page.etag, modified)) return reply.code(304).send();
  const encoding = preferredEncoding(req.headers["accept-encoding"]);
  if (encoding && page.body.length > 1024) {
    reply.header("content-encoding", encoding);
    return reply.send(compressedBody(page, encoding));
  }
  return reply.send(page.body);
}

/** RFC 9110 §13.2.2: If-None-Match decides when present; If-Modified-Since only without it. */
function isNotModified(req: FastifyRequest, etag: string, modified: string | undefined): boolean {
  const ifNoneMatch = req.headers["if-none-match"];
  if (ifNoneMatch !== undefined) {
    // A proxy that compresses may weaken the tag to W/"…"; it still names these bytes.
    return ifNoneMatch.split(",").some((tag) => ["*", etag, `W/${etag}`].includes(tag.trim()));
  }
  const since = Date.parse(req.headers["if-modified-since"] ?? "");
  return modified !== undefined && !Number.isNaN(since) && Date.parse(modified) <= since;
}

function preferredEncoding(accept: string | undefined): "br" | "gzip" | undefined {
  if (!accept) return undefined;
  if (accept.includes("br")) return "br";
  return accept.includes("gzip") ? "gzip" : undefined;
}
