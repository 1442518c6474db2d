/**
 * `/section/:slug`, `/tag/:slug` and `/author/:slug`: a listing's articles, newest first, `?page=N`; one cached
 * copy per reader class and page, left at the front door for the class alone to answer.
 */
import { type Static, Type } from "@sinclair/typebox";
import type { FastifyInstance } from "fastify";
import { type PageCache, sendCached } from "../cache/index.js";
import * as content from "../content/index.js";
import { cacheTags } from "../content/index.js";
import type { Db } from "../db/index.js";
import { breadcrumbJsonLd } from "../distribution/index.js";
import { Invalid, NotFound } from "../shared/errors.js";
import { isValidSlug, SlugParams } from "../shared/slug.js";
import type { RememberClassPage } from "./cookie-decisions.js";
import type { FrameLoader } from "./frame-loader.js";
import type { ReaderOf } from "./reader.js";
import { type AdmitWork, framedPage, renderDocument, sendRendered } from "./serve-page.js";
import type { SlugMisses } from "./slug-misses.js";
import type { ReaderClass } from "./views/frame.js";
import { type ListingHeader, ListingPage } from "./views/listing-page.js";

/** What a page found by its slug needs: the listings here and the static pages (static-page-routes.tsx). */
export type SlugPageRouteDeps = {
  db: Db;
  cache: PageCache;
  admit: AdmitWork;
  readerOf: ReaderOf;
  loadFrame: FrameLoader["loadFrame"];
  rememberClassPage: RememberClassPage;
  slugs: SlugMisses;
};

type ListingKind = "section" | "tag" | "author";
type FoundListing = { header: ListingHeader; filter: content.ListingFilter; tag: string };

/** Whose listing a slug is: its header, which articles it lists, and the cache tag its pages are kept under. */
const findListing: Record<ListingKind, (db: Db, slug: string) => Promise<FoundListing | undefined>> = {
  section: async (db, slug) => {
    const s = await content.findSectionBySlug(db, slug);
    return (
      s && {
        header: { kind: "section", ...s },
        filter: { kind: "section", sectionId: s.id },
        tag: cacheTags.section(s.id),
      }
    );
  },
  tag: async (db, slug) => {
    const t = await content.findTagBySlug(db, slug);
    return t && { header: { kind: "tag", ...t }, filter: { kind: "tag", tagId: t.id }, tag: cacheTags.tag(t.id) };
  },
  author: async (db, slug) => {
    const a = await content.findAuthorBySlug(db, slug);
    return (
      a && {
        header: { kind: "author", author: a },
        filter: { kind: "author", staffId: a.id },
        tag: cacheTags.author(a.id),
      }
    );
  },
};

const PageQuery = Type.Object({ page: Type.Optional(Type.Integer({ minimum: 1, maximum: 100_000 })) });

export async function listingRoutes(app: FastifyInstance, deps: SlugPageRouteDeps): Promise<void> {
  for (const kind of ["section", "tag", "author"] as const) {
    app.get<{ Params: Static<typeof SlugParams>; Querystring: Static<typeof PageQuery> }>(
      `/${kind}/:slug`,
      { schema: { params: SlugParams, querystring: PageQuery } },
      async (req, reply) => {
        const slug = req.params.slug;
        const pageNumber = req.query.page ?? 1;
        if (!isValidSlug(slug)) throw new NotFound("PAGE_NOT_FOUND", "There is no page at this address.");
        const basePath = `/${kind}/${slug}`;
        const { cacheClass } = await deps.readerOf(req, reply);
        const keyFor = (readerClass: ReaderClass) => `${readerClass}:${basePath}?page=${pageNumber}`;
        deps.rememberClassPage(req, keyFor);
        const key = keyFor(cacheClass);
        const cached = sendCached(deps.cache, { req, reply, key: key });
        if (cached) return cached;
        deps.slugs.rejectKnownMissing(kind, slug);
        await deps.admit("pages", reply.raw);
        const ticket = deps.cache.ticket();
        const found = await findListing[kind](deps.db, slug);
        if (!found)
          return deps.slugs.redirectOldSlug({ reply, ticket, owner: kind, slug, pathFor: (s) => `/${kind}/${s}` });
        const list = await content.listArticles(deps.db, found.filter, pageNumber);
        if (pageNumber > list.pages) {
          throw new Invalid(
            "PAGE_OUT_OF_RANGE",
            `There is no page ${pageNumber} here: the last page is ${list.pages}.`,
            {
              property: "page",
            },
          );
        }
        const frame = await deps.loadFrame(cacheClass);
        const name = found.header.kind === "author" ? found.header.author.name : found.header.name;
        const html = renderDocument(
          <ListingPage
            frame={frame}
            header={found.header}
            basePath={basePath}
            list={list}
            jsonLd={[breadcrumbJsonLd(frame, [{ name, path: basePath }])]}
          />,
        );
        const rendered = framedPage(frame, 200, html, [found.tag, ...list.items.map((a) => cacheTags.article(a.id))]);
        return sendRendered(deps.cache, { req, reply, key, ticket, rendered });
      },
    );
  }
}
