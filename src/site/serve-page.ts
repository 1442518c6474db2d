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

export async function servePage(
  req: FastifyRequest,
  reply: FastifyReply,
  cache: PageCache,
  key: string,
  render: () => Promise<RenderedPage>,
): Promise<FastifyReply> {
  const cached = sendCached(req, reply, cache, key);
  if (cached) return cached;
  const ticket = cache.ticket();
  return sendRendered(req, reply, cache, { key, ticket, rendered: await render() });
}

/** Stores a freshly rendered page (unless an invalidation happened since `ticket`) and sends it. */
export function sendRendered(
  req: FastifyRequest,
  reply: FastifyReply,
  cache: PageCache,
  input: { key: string; ticket: RenderTicket; rendered: RenderedPage; onRepeat?: OnRepeat | undefined },
): FastifyReply {
  const { key, rendered } = input;
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
  return replyFromCache(req, reply, cache, { key, page, onRepeat: input.onRepeat });
}
