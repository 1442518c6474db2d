/** Sends a rendered page from the page cache (one variant per reader class), with ETag/304 and compression. */
import type { FastifyReply, FastifyRequest } from "fastify";
import type { VNode } from "preact";
import { renderToString } from "preact-render-to-string";
import { type CachedPage, compressedBody, type PageCache, type RenderTicket } from "../cache/index.js";

export type RenderedPage = {
  status: number;
  body: string | Buffer;
  contentType?: string;
  tags: readonly string[];
  /** Kept in the cache only until then (the breaking strip it shows ends). */
  expiresAt?: Date | undefined;
};

export const ANONYMOUS_CACHE_CONTROL = "public, max-age=30, stale-while-revalidate=300";

// Images are compressed already; text formats shrink to a fifth.
const COMPRESSIBLE = /^(text\/|application\/(json|xml|rss\+xml|atom\+xml|feed\+json))/;

export function renderDocument(vnode: VNode): string {
  return `<!doctype html>${renderToString(vnode)}`;
}

export async function servePage(
  req: FastifyRequest,
  reply: FastifyReply,
  cache: PageCache,
  key: string,
  render: () => Promise<RenderedPage>,
): Promise<FastifyReply> {
  const hit = cache.get(key);
  if (hit) return sendCached(req, reply, hit);
  const ticket = cache.ticket();
  return sendRendered(req, reply, cache, { key, ticket, rendered: await render() });
}

/** Stores a freshly rendered page (unless an invalidation happened since `ticket`) and sends it. */
export function sendRendered(
  req: FastifyRequest,
  reply: FastifyReply,
  cache: PageCache,
  input: { key: string; ticket: RenderTicket; rendered: RenderedPage },
): FastifyReply {
  const { rendered } = input;
  const page = cache.store(
    input.key,
    {
      status: rendered.status,
      contentType: rendered.contentType ?? "text/html; charset=utf-8",
      body: Buffer.isBuffer(rendered.body) ? rendered.body : Buffer.from(rendered.body),
      tags: rendered.tags,
      expiresAt: rendered.expiresAt,
    },
    input.ticket,
  );
  return sendCached(req, reply, page);
}

export function sendCached(req: FastifyRequest, reply: FastifyReply, page: CachedPage): FastifyReply {
  reply.header("content-type", page.contentType);
  reply.header("etag", page.etag);
  // A signed-in reader's reply was already marked private (reader.ts); only anonymous pages are public.
  if (!reply.hasHeader("cache-control")) reply.header("cache-control", ANONYMOUS_CACHE_CONTROL);
  if (!reply.hasHeader("vary")) reply.header("vary", "Accept-Encoding");
  if (page.status === 200 && req.headers["if-none-match"] === page.etag) return reply.code(304).send();
  reply.code(page.status);
  const accept = req.headers["accept-encoding"];
  if (typeof accept === "string" && page.body.length > 1024 && COMPRESSIBLE.test(page.contentType)) {
    const encoding = accept.includes("br") ? "br" : accept.includes("gzip") ? "gzip" : undefined;
    if (encoding) {
      reply.header("content-encoding", encoding);
      return reply.send(compressedBody(page, encoding));
    }
  }
  return reply.send(page.body);
}
