/**
 * The site's error pages: a status and a sentence in the frame, with the newest headlines on a 404; with the
 * database out of reach the frame last read, else a bare page, as always when `isPlain` (load shed, a rate met).
 */
import type { FastifyRequest } from "fastify";
import { type PageCache, perGeneration } from "../cache/index.js";
import * as content from "../content/index.js";
import type { Db } from "../db/index.js";
import type { MemberDeps } from "../members/index.js";
import type { Clock } from "../shared/clock.js";
import type { SiteAssets } from "./assets.js";
import type { FrameLoader } from "./frame-loader.js";
import { readerClassOf } from "./reader.js";
import { renderDocument } from "./serve-page.js";
import type { SiteFrame } from "./views/frame.js";
import { BareErrorPage, ErrorPage } from "./views/simple-pages.js";

export type ErrorPageInput = {
  status: number;
  message: string;
  requestId: string | undefined;
  /** Shedding load: a page with the stylesheet alone, made without reading anything or rendering the frame. */
  isPlain?: boolean;
};

export type ErrorPageDeps = {
  db: Db;
  cache: PageCache;
  clock: Clock;
  assets: SiteAssets;
  members: MemberDeps;
  loadFrame: FrameLoader["loadFrame"];
  lastFrame: FrameLoader["lastFrame"];
};

export function createErrorPageRenderer(
  deps: ErrorPageDeps,
): (input: ErrorPageInput, req?: FastifyRequest) => Promise<string> {
  // A page that found nothing offers the newest headlines instead.
  const loadLatest = perGeneration(deps.cache, () => content.listLatestArticles(deps.db, 6));
  // Error pages do not depend on the address, so one rendering per status and message serves every request.
  const errorPages = new Map<string, { generation: number; html: string; expiresAt: Date | undefined }>();
  const plainPages = new Map<string, string>();
  return async function renderErrorPage(input, req) {
    if (input.isPlain) {
      const key = `${input.status} ${input.message} ${input.requestId ?? ""}`;
      const html = plainPages.get(key) ?? renderDocument(<BareErrorPage css={deps.assets.css} {...input} />);
      if (!input.requestId && plainPages.size < 20) plainPages.set(key, html);
      return html;
    }
    const readerClass = req ? readerClassOf(deps.members, req) : "anon";
    const key = `${readerClass} ${input.status} ${input.message}`;
    const { generation } = deps.cache.ticket();
    const memo = input.requestId ? undefined : errorPages.get(key);
    const isCurrent = memo && (!memo.expiresAt || memo.expiresAt > deps.clock.now());
    if (memo && memo.generation === generation && isCurrent) return memo.html;
    let frame: SiteFrame;
    let latest: content.ArticleSummary[];
    try {
      frame = await deps.loadFrame(readerClass);
      latest = input.status === 404 ? await loadLatest() : [];
    } catch {
      // The database is out of reach: the frame last read, or a page with the site's stylesheet alone.
      const last = deps.lastFrame(readerClass);
      if (!last) return renderDocument(<BareErrorPage css={deps.assets.css} {...input} />);
      return renderDocument(<ErrorPage frame={last} {...input} />);
    }
    const html = renderDocument(
      <ErrorPage
        frame={frame}
        status={input.status}
        message={input.message}
        requestId={input.requestId}
        latest={latest}
      />,
    );
    if (!input.requestId && (errorPages.size < 50 || errorPages.has(key))) {
      errorPages.set(key, { generation, html, expiresAt: frame.breaking?.expiresAt });
    }
    return html;
  };
}
