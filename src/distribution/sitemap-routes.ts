/** /sitemap.xml (an index of the sitemaps below), /sitemap-news.xml and /robots.txt. */
import { type Static, Type } from "@sinclair/typebox";
import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import * as content from "../content/index.js";
import { cacheTags, type SitemapListing } from "../content/index.js";
import { NotFound } from "../shared/errors.js";
import type { DistributionDeps } from "./deps.js";
import { renderNewsSitemap, renderSitemapIndex, renderUrlset } from "./render-sitemaps.js";
import { renderRobotsTxt } from "./robots-txt.js";
import { serveDocument } from "./serve-document.js";

/** The most URLs one sitemap may hold (sitemaps.org). */
const SITEMAP_PAGE_SIZE = 50_000;
// Google News lists articles from the last two days, at most 1,000 per sitemap.
const NEWS_WINDOW_MS = 48 * 3_600_000;
const NEWS_LIMIT = 1_000;

const LISTING_PATHS: Record<SitemapListing, (slug: string) => string> = {
  sections: (slug) => `/section/${slug}`,
  tags: (slug) => `/tag/${slug}`,
  authors: (slug) => `/author/${slug}`,
  pages: (slug) => `/${slug}`,
};
const LISTINGS = Object.keys(LISTING_PATHS) as SitemapListing[];

const PageParams = Type.Object({ page: Type.String({ maxLength: 200 }) });

/** robots.txt names the sitemap index, so it is served beside it. */
function robotsTxtRoute(app: FastifyInstance, deps: DistributionDeps): void {
  app.get("/robots.txt", async (req, reply) =>
    serveDocument(req, reply, deps, {
      key: "anon:/robots.txt",
      kind: "sitemap",
      render: async () => ({
        kind: "document",
        body: renderRobotsTxt(deps.publicUrl),
        contentType: "text/plain; charset=utf-8",
        tags: [cacheTags.site],
      }),
    }),
  );
}

export function sitemapRoutes(app: FastifyInstance, deps: DistributionDeps): void {
  robotsTxtRoute(app, deps);
  const absolute = (path: string) => `${deps.publicUrl}${path}`;
  const notFound = () => new NotFound("SITEMAP_NOT_FOUND", "There is no sitemap at this address.");
  // Publishing drops `feeds`, renaming anything drops `site`: both change what sitemaps list.
  const serveXml = (req: FastifyRequest, reply: FastifyReply, key: string, render: () => Promise<string>) =>
    serveDocument(req, reply, deps, {
      key,
      kind: "sitemap",
      render: async () => ({
        kind: "document",
        body: await render(),
        contentType: "application/xml; charset=utf-8",
        tags: [cacheTags.site, cacheTags.feeds],
      }),
    });

  app.get("/sitemap.xml", async (req, reply) =>
    serveXml(req, reply, "anon:/sitemap.xml", async () => {
      const index = await content.findSitemapIndex(deps.db, SITEMAP_PAGE_SIZE);
      // The first page of articles is listed even before there are articles, so its address never 404s.
      const articlePages = index.articlePages.length ? index.articlePages : [undefined];
      return renderSitemapIndex([
        ...articlePages.map((lastModified, i) => ({ loc: absolute(`/sitemap-articles-${i + 1}.xml`), lastModified })),
        ...LISTINGS.map((listing) => ({
          loc: absolute(`/sitemap-${listing}.xml`),
          lastModified: index.listings[listing],
        })),
      ]);
    }),
  );

  app.get<{ Params: Static<typeof PageParams> }>(
    "/sitemap-articles-:page.xml",
    { schema: { params: PageParams } },
    async (req, reply) => {
      if (!/^[1-9]\d{0,8}$/.test(req.params.page)) throw notFound();
      const page = Number(req.params.page);
      return serveXml(req, reply, `anon:/sitemap-articles-${page}.xml`, async () => {
        const articles = await content.listSitemapArticles(deps.db, { page, pageSize: SITEMAP_PAGE_SIZE });
        if (articles.length === 0 && page > 1) throw notFound();
        return renderUrlset(articles.map((a) => ({ loc: absolute(a.path), lastModified: a.updatedAt })));
      });
    },
  );

  for (const listing of LISTINGS) {
    app.get(`/sitemap-${listing}.xml`, async (req, reply) =>
      serveXml(req, reply, `anon:/sitemap-${listing}.xml`, async () => {
        const entries = await content.listSitemapEntries(deps.db, listing);
        return renderUrlset(
          entries.map((e) => ({ loc: absolute(LISTING_PATHS[listing](e.slug)), lastModified: e.updatedAt })),
        );
      }),
    );
  }

  app.get("/sitemap-news.xml", async (req, reply) => {
    const now = deps.clock.now().getTime();
    // Articles age out of the window without any invalidation, so each hour has its own cache entry.
    const hour = Math.floor(now / 3_600_000);
    return serveXml(req, reply, `anon:/sitemap-news.xml?hour=${hour}`, async () => {
      const [settings, articles] = await Promise.all([
        content.getSettings(deps.db),
        content.listArticlesPublishedSince(deps.db, { since: new Date(now - NEWS_WINDOW_MS), limit: NEWS_LIMIT }),
      ]);
      return renderNewsSitemap({
        publicationName: settings.title,
        language: settings.language,
        articles: articles.map((a) => ({ loc: absolute(a.path), title: a.title, publishedAt: a.publishedAt })),
      });
    });
  });
}
