/** Sends a rendered page from the page cache (one variant per reader class), with ETag/304 and compression. */
import type { ServerResponse } from "node:http";
import type { FastifyReply, FastifyRequest } from "fastify";
import type { VNode } from "preact";
import { renderToString } from "preact-render-to-string";
import { type OnRepeat, type PageCache, type RenderTicket, replyFromCache, sendCached } from "../cache/index.js";
import { cacheTags } from "../content/index.js";
import type { SiteFrame } from "./views/frame.js";

export type RenderedPage = {
  status: number;
  body: string | Buffer;
  contentType?: string;
  tags: readonly string[];
  /** Kept in the cache only until then (the breaking strip it shows ends). */
  expiresAt?: Date | undefined;
  /** The page cache's share that keeps it, when not the main budget (search results). */
  share?: string;
};

/**
 * A turn for work the page cache could not answer, held until `res` closes. Rejects with Overloaded (503 with
 * Retry-After) when that kind of work is being refused: too much of it waiting, or the event loop behind.
 */
export type AdmitWork = (kind: "search" | "pages", res: ServerResponse) => Promise<void>;

/** A page rendered in `frame`: while it shows the breaking strip, it is cached only until the strip ends. */
export function framedPage(frame: SiteFrame, status: number, body: string, tags: readonly string[]): RenderedPage {
  return { status, body, tags: [cacheTags.site, ...tags], expiresAt: frameExpiresAt(frame) };
}

/** A page showing the breaking strip or a dated offer is kept only until the earlier of them ends. */
function frameExpiresAt(frame: SiteFrame): Date | undefined {
  const ends = [frame.breaking?.expiresAt, frame.prices?.offer?.expiresAt ?? undefined].filter((d) => d !== undefined);
  return ends.length ? new Date(Math.min(...ends.map((d) => d.getTime()))) : undefined;
}

export function renderDocument(vnode: VNode): string {
  return `<!doctype html>${renderToString(vnode)}`;
}

/** The page cached at `key`, or `render`'s, stored there and sent. */
export async function servePage(
  cache: PageCache,
  input: { req: FastifyRequest; reply: FastifyReply; key: string; render: () => Promise<RenderedPage> },
): Promise<FastifyReply> {
  const { req, reply, key } = input;
  const cached = sendCached(cache, { req, reply, key });
  if (cached) return cached;
  const ticket = cache.ticket();
  return sendRendered(cache, { req, reply, key, ticket, rendered: await input.render() });
}

/** Stores a freshly rendered page (unless an invalidation happened since `ticket`) and sends it. */
export function sendRendered(
  cache: PageCache,
  input: {
    req: FastifyRequest;
    reply: FastifyReply;
    key: string;
    ticket: RenderTicket;
    rendered: RenderedPage;
    onRepeat?: OnRepeat | undefined;
  },
): FastifyReply {
  const { req, reply, key, rendered } = input;
  const page = cache.store(
    key,
    {
      status: rendered.status,
      contentType: rendered.contentType ?? "text/html; charset=utf-8",
      body: Buffer.isBuffer(rendered.body) ? rendered.body : Buffer.from(rendered.body),
      kind: "page",
      tags: rendered.tags,
      expiresAt: rendered.expiresAt,
    },
    input.ticket,
    rendered.share,
  );
  return replyFromCache(cache, { req, reply, key, page, onRepeat: input.onRepeat });
}
