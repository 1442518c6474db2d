/**
 * /search: full-text search over what any reader may read. A page of results is kept in the page cache's search
 * share, by reader class and the normalised query, until an article changes; a new search takes a turn in the
 * search gate, so a flood of them is refused quickly rather than queued for ever.
 */
import { type Static, Type } from "@sinclair/typebox";
import type { FastifyInstance } from "fastify";
import { type PageCache, sendCached } from "../cache/index.js";
import * as content from "../content/index.js";
import { cacheTags } from "../content/index.js";
import type { Db } from "../db/index.js";
import type { ReaderOf } from "./reader.js";
import { type AdmitWork, renderDocument, sendRendered } from "./serve-page.js";
import type { ReaderClass, SiteFrame } from "./views/frame.js";
import { SearchPage } from "./views/search-page.js";

/** The page cache's share for search results: a budget of their own, since anyone can make up a new query. */
export const SEARCH_CACHE_SHARE = "search";

export type SearchRouteDeps = {
  db: Db;
  cache: PageCache;
  readerOf: ReaderOf;
  loadFrame: (readerClass: ReaderClass) => Promise<SiteFrame>;
  /** The search form's author choices. */
  loadBylines: () => Promise<{ slug: string; name: string }[]>;
  admit: AdmitWork;
};

const DateText = Type.Union([Type.Literal(""), Type.String({ pattern: "^\\d{4}-\\d{2}-\\d{2}$" })]);
const SearchQuery = Type.Object({
  q: Type.Optional(Type.String()),
  section: Type.Optional(Type.String({ maxLength: 200 })),
  author: Type.Optional(Type.String({ maxLength: 200 })),
  kind: Type.Optional(Type.Union([Type.Literal(""), ...content.ARTICLE_KINDS.map((k) => Type.Literal(k))])),
  from: Type.Optional(DateText),
  to: Type.Optional(DateText),
  page: Type.Optional(Type.Integer({ minimum: 1, maximum: content.SEARCH_MAX_PAGES })),
});

const day = (text: string, plusDays = 0) =>
  text ? new Date(Date.parse(`${text}T00:00:00Z`) + plusDays * 86_400_000) : undefined;

export async function searchRoutes(app: FastifyInstance, deps: SearchRouteDeps): Promise<void> {
  app.get<{ Querystring: Static<typeof SearchQuery> }>(
    "/search",
    { schema: { querystring: SearchQuery } },
    async (req, reply) => {
      const form = {
        q: content.searchText(req.query.q ?? ""),
        section: req.query.section ?? "",
        author: req.query.author ?? "",
        kind: req.query.kind ?? "",
        from: req.query.from ?? "",
        to: req.query.to ?? "",
      };
      // Without words there are no results to page through.
      const page = form.q ? (req.query.page ?? 1) : 1;
      const { cacheClass } = await deps.readerOf(req, reply);
      // Every reader of a class gets the same page for the same query, however its address was written.
      const key = `${cacheClass}:/search?${new URLSearchParams({ ...form, page: String(page) })}`;
      const cached = sendCached(req, reply, deps.cache, key);
      if (cached) return cached;
      await deps.admit("search", reply.raw);
      const ticket = deps.cache.ticket();
      const frame = await deps.loadFrame(cacheClass);
      const results = form.q
        ? await content.searchArticles(deps.db, {
            text: form.q,
            language: frame.settings.language,
            page,
            ...(form.section ? { sectionSlug: form.section } : {}),
            ...(form.author ? { authorSlug: form.author } : {}),
            ...(form.kind ? { kind: form.kind as content.ArticleKind } : {}),
            ...(form.from ? { from: day(form.from) } : {}),
            ...(form.to ? { to: day(form.to, 1) } : {}),
          })
        : undefined;
      const html = renderDocument(
        <SearchPage frame={frame} authors={await deps.loadBylines()} form={form} results={results} />,
      );
      const rendered = {
        status: 200,
        body: html,
        // Results show only the preview, the same for every class: the class changes just the masthead.
        tags: [cacheTags.site, cacheTags.search],
        expiresAt: frame.breaking?.expiresAt,
        share: SEARCH_CACHE_SHARE,
      };
      return sendRendered(req, reply, deps.cache, { key, ticket, rendered });
    },
  );
}
