/**
 * /search: full-text search over whole articles. Snippets show gated text only to a reader the paywall lets read
 * it; the reader class decides that (search has no meter, so a metered article shows its preview), and a page of
 * results is kept in the page cache's search share by reader class and the normalised query, until an article
 * changes. A new search takes a turn in the search gate, so a flood of them is refused quickly rather than queued.
 */
import { type Static, Type } from "@sinclair/typebox";
import type { FastifyInstance } from "fastify";
import { type PageCache, sendCached } from "../cache/index.js";
import * as content from "../content/index.js";
import { cacheTags } from "../content/index.js";
import type { Db } from "../db/index.js";
import { decideAccess, type Reader } from "../paywall/index.js";
import { Invalid } from "../shared/errors.js";
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
  order: Type.Optional(Type.Union([Type.Literal(""), ...content.SEARCH_ORDERS.map((o) => Type.Literal(o))])),
  page: Type.Optional(Type.Integer({ minimum: 1, maximum: content.SEARCH_MAX_PAGES })),
});

type SearchParams = {
  q?: string;
  section?: string;
  author?: string;
  kind?: string;
  from?: string;
  to?: string;
  order?: string;
};

/** The query as search reads it, and its page (without words there are no results to page through). */
function searchFormOf(query: SearchParams & { page?: number }) {
  const form = {
    q: content.searchText(query.q ?? ""),
    section: query.section ?? "",
    author: query.author ?? "",
    kind: query.kind ?? "",
    from: query.from ?? "",
    to: query.to ?? "",
    // Relevance is the default, so "" and "relevance" are one page.
    order: query.order === "newest" ? "newest" : "",
  };
  return { form, page: form.q ? (query.page ?? 1) : 1 };
}

/**
 * Where the page of results for `query` is cached for a reader class: every reader of the class gets the same page
 * for the same query, however its address was written.
 */
export function searchCacheKey(readerClass: ReaderClass, query: SearchParams & { page?: number }): string {
  const { form, page } = searchFormOf(query);
  return `${readerClass}:/search?${new URLSearchParams({ ...form, page: String(page) })}`;
}

/** Where a cookieless read of a search's raw address would find its page: asked before Fastify parses it. */
export function searchCacheKeyOf(address: string): string {
  const query = new URLSearchParams(address.slice(address.indexOf("?") + 1 || address.length));
  const page = Number(query.get("page") ?? "1");
  const fields = ["q", "section", "author", "kind", "from", "to", "order"].map((name) => [name, query.get(name) ?? ""]);
  return searchCacheKey("anon", { ...Object.fromEntries(fields), page: Number.isInteger(page) ? page : 1 });
}

/**
 * The access levels whose gated part the reader may read, as the paywall decides without a meter: the reader
 * class fixes the answer, so the class in the cache key keys results by what the reader may see.
 */
function readableLevels(reader: Reader): content.AccessLevel[] {
  return content.ACCESS_LEVELS.filter(
    (accessLevel) => decideAccess(reader, { accessLevel, hasGatedPart: true }).kind === "full",
  );
}

const day = (text: string, plusDays = 0) =>
  text ? new Date(Date.parse(`${text}T00:00:00Z`) + plusDays * 86_400_000) : undefined;

/** The pattern lets 2026-13-45 through: a date field must name a day the calendar has. */
function refuseImpossibleDays(form: { from?: string; to?: string }): void {
  for (const field of ["from", "to"] as const) {
    const text = form[field];
    const time = text ? day(text)?.getTime() : undefined;
    if (text && (time === undefined || Number.isNaN(time) || new Date(time).toISOString().slice(0, 10) !== text)) {
      throw new Invalid("INVALID_DATE", `querystring.${field} is not a date the calendar has`, { property: field });
    }
  }
}

export async function searchRoutes(app: FastifyInstance, deps: SearchRouteDeps): Promise<void> {
  app.get<{ Querystring: Static<typeof SearchQuery> }>(
    "/search",
    { schema: { querystring: SearchQuery } },
    async (req, reply) => {
      const { form, page } = searchFormOf(req.query);
      refuseImpossibleDays(form);
      const { reader, cacheClass } = await deps.readerOf(req, reply);
      const key = searchCacheKey(cacheClass, req.query);
      const cached = sendCached(deps.cache, { req, reply, key: key });
      if (cached) return cached;
      await deps.admit("search", reply.raw);
      const ticket = deps.cache.ticket();
      const frame = await deps.loadFrame(cacheClass);
      const results = form.q
        ? await content.searchArticles(deps.db, {
            text: form.q,
            language: frame.settings.language,
            page,
            order: form.order === "newest" ? "newest" : "relevance",
            readableLevels: readableLevels(reader),
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
        tags: [cacheTags.site, cacheTags.search],
        expiresAt: frame.breaking?.expiresAt,
        share: SEARCH_CACHE_SHARE,
      };
      return sendRendered(deps.cache, { req, reply, key, ticket, rendered });
    },
  );
}
