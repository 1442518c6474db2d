/** /search: full-text search over what any reader may read. */
import { type Static, Type } from "@sinclair/typebox";
import type { FastifyInstance } from "fastify";
import * as content from "../content/index.js";
import type { Db } from "../db/index.js";
import type { ReaderOf } from "./reader.js";
import { renderDocument } from "./serve-page.js";
import type { ReaderClass, SiteFrame } from "./views/frame.js";
import { SearchPage } from "./views/search-page.js";

export type SearchRouteDeps = {
  db: Db;
  readerOf: ReaderOf;
  loadFrame: (readerClass: ReaderClass) => Promise<SiteFrame>;
  /** The search form's author choices. */
  loadBylines: () => Promise<{ slug: string; name: string }[]>;
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
      const { cacheClass } = await deps.readerOf(req, reply);
      const frame = await deps.loadFrame(cacheClass);
      const results = form.q
        ? await content.searchArticles(deps.db, {
            text: form.q,
            language: frame.settings.language,
            page: req.query.page ?? 1,
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
      // The same query gives everyone the same page; it is not kept in the page cache, whose keys must stay few.
      if (!reply.hasHeader("cache-control")) reply.header("cache-control", "public, max-age=60");
      return reply.header("content-type", "text/html; charset=utf-8").send(html);
    },
  );
}
