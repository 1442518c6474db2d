/** Feeds, sitemaps and robots.txt from the page cache: ETag and Last-Modified, 304s, compressed copies. */
import type { FastifyReply, FastifyRequest } from "fastify";
import { type PageCache, replyFromCache, sendCached } from "../cache/index.js";
import type { Clock } from "../shared/clock.js";

export type ServeDeps = { cache: PageCache; clock: Clock };

/** A document to send and keep, or the new address of something that moved. */
export type RenderedDocument =
  | { kind: "document"; body: string; contentType: string; tags: string[] }
  | { kind: "moved"; location: string };

/** Sends the cached copy at `key`, or renders, keeps and sends a fresh one. */
export async function serveDocument(
  req: FastifyRequest,
  reply: FastifyReply,
  deps: ServeDeps,
  input: { key: string; kind: "feed" | "sitemap"; render: () => Promise<RenderedDocument> },
): Promise<FastifyReply> {
  const { key } = input;
  const cached = sendCached(deps.cache, { req, reply, key: key });
  if (cached) return cached;
  const ticket = deps.cache.ticket();
  const rendered = await input.render();
  if (rendered.kind === "moved") return reply.redirect(rendered.location, 301);
  const page = deps.cache.store(
    key,
    {
      status: 200,
      contentType: rendered.contentType,
      body: Buffer.from(rendered.body),
      kind: input.kind,
      // Stamped when rendered rather than from the newest article: a feed also changes when an article leaves it
      // or a section is renamed, and a date too early would answer 304 to a reader who has the old version.
      lastModified: deps.clock.now().toUTCString(),
      tags: rendered.tags,
    },
    ticket,
  );
  return replyFromCache(deps.cache, { req, reply, key, page });
}
