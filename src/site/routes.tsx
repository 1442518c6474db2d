/** The reader site: front page, sections, tags, authors, articles and static pages. */
import { TypeBoxValidatorCompiler } from "@fastify/type-provider-typebox";
import { type Static, Type } from "@sinclair/typebox";
import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import { LRUCache } from "lru-cache";
import type { BillingDeps } from "../billing/index.js";
import { type PageCache, type RenderTicket, sendCached } from "../cache/index.js";
import * as content from "../content/index.js";
import { cacheTags } from "../content/index.js";
import type { Db } from "../db/index.js";
import { articleJsonLd, breadcrumbJsonLd, homeJsonLd, renderShareImage } from "../distribution/index.js";
import type { MemberDeps } from "../members/index.js";
import { outcomeKey, type PaywallCounters } from "../paywall/index.js";
import type { Clock } from "../shared/clock.js";
import { Invalid, NotFound } from "../shared/errors.js";
import { escapeHtml } from "../shared/html.js";
import { isValidSlug } from "../shared/slug.js";
import { accountRoutes } from "./account/account-routes.js";
import { signInRoutes } from "./account/sign-in-routes.js";
import { accessOutcomeFor, isReadRequest } from "./article-access.js";
import type { SiteAssets } from "./assets.js";
import { previewRoutes } from "./preview-routes.js";
import { createReaderOf, readerClassOf, type StaffCheck } from "./reader.js";
import { searchRoutes } from "./search-routes.js";
import { type AdmitWork, type RenderedPage, renderDocument, sendRendered, servePage } from "./serve-page.js";
import { subscribeRoutes } from "./subscribe/subscribe-routes.js";
import { ArticlePage } from "./views/article-page.js";
import { KIND_LABELS } from "./views/format.js";
import type { ReaderClass, SiteFrame } from "./views/frame.js";
import { HomePage } from "./views/home-page.js";
import { type ListingHeader, ListingPage } from "./views/listing-page.js";
import { BareErrorPage, ErrorPage, StaticPageView } from "./views/simple-pages.js";

export type SiteDeps = {
  db: Db;
  cache: PageCache;
  clock: Clock;
  publicUrl: string;
  assets: SiteAssets;
  members: MemberDeps;
  paywallCounters: PaywallCounters;
  billing: BillingDeps;
  isStaff: StaffCheck;
  /** A turn for work the page cache could not answer; refused (503) while the server sheds load. */
  admit: AdmitWork;
};

/** How much article data the article route keeps between invalidations, in bytes. */
const ARTICLE_DATA_BYTES = 64 * 1024 * 1024;

const SlugParams = Type.Object({ slug: Type.String({ maxLength: 200 }) });
const ArticleParams = Type.Object({ section: Type.String({ maxLength: 200 }), slug: Type.String({ maxLength: 200 }) });
const PageQuery = Type.Object({ page: Type.Optional(Type.Integer({ minimum: 1, maximum: 100_000 })) });
/** `load`'s result, read again only once the page cache's generation has moved on (after any invalidation). */
function perGeneration<T>(cache: SiteDeps["cache"], load: () => Promise<T>): () => Promise<T> {
  let memo: { generation: number; value: Promise<T> } | undefined;
  return () => {
    const { generation } = cache.ticket();
    if (!memo || memo.generation !== generation) {
      const value = load();
      memo = { generation, value };
      value.catch(() => {
        if (memo?.value === value) memo = undefined;
      });
    }
    return memo.value;
  };
}

async function readFrameData(deps: SiteDeps) {
  const [settings, sections, pages, breaking] = await Promise.all([
    content.getSettings(deps.db),
    content.listSections(deps.db),
    content.listStaticPages(deps.db),
    content.findBreakingNews(deps.db),
  ]);
  const navigation = content.mastheadSections(settings.navigation, sections);
  return { settings, sections, navigation, pages, breaking, publicUrl: deps.publicUrl, assets: deps.assets };
}
type FrameData = Awaited<ReturnType<typeof readFrameData>>;

/** Frame data changes rarely; it is re-read after any cache invalidation. The strip is checked against the time. */
function createFrameLoader(deps: SiteDeps): {
  loadFrame: (readerClass?: ReaderClass) => Promise<SiteFrame>;
  /** The frame last read, when the database cannot give one now (error pages during an outage). */
  lastFrame: (readerClass?: ReaderClass) => SiteFrame | undefined;
  loadSettings: () => Promise<content.SiteSettings>;
} {
  let last: FrameData | undefined;
  const stored = perGeneration(deps.cache, async () => {
    last = await readFrameData(deps);
    return last;
  });
  const frameOf = (data: FrameData, readerClass: ReaderClass): SiteFrame => {
    const now = deps.clock.now();
    const breaking = data.breaking && data.breaking.expiresAt > now ? data.breaking : null;
    return { ...data, breaking, now, readerClass };
  };
  return {
    loadFrame: async (readerClass = "anon") => frameOf(await stored(), readerClass),
    lastFrame: (readerClass = "anon") => (last ? frameOf(last, readerClass) : undefined),
    // For a page that may come from the cache: the settings alone, without a frame made for it.
    loadSettings: async () => (await stored()).settings,
  };
}

export type ErrorPageInput = {
  status: number;
  message: string;
  requestId: string | undefined;
  /** Shedding load: a page with the stylesheet alone, made without reading anything or rendering the frame. */
  isPlain?: boolean;
};

export async function siteRoutes(
  app: FastifyInstance,
  deps: SiteDeps,
): Promise<{ renderErrorPage(input: ErrorPageInput, req?: FastifyRequest): Promise<string> }> {
  const { loadFrame, lastFrame, loadSettings } = createFrameLoader(deps);
  // The search form's author choices: a byline or a name changes only with an invalidation.
  const loadBylines = perGeneration(deps.cache, () => content.listBylines(deps.db));
  // Remembers slugs that matched nothing, with the cache generation they were checked at; any publish or
  // rename moves the generation on, so a remembered miss never hides new content. Bounded by count.
  const knownMissing = new LRUCache<string, number>({ max: 10_000 });
  // Who is reading; the cache key names only the reader's class, never the reader.
  const readerOf = createReaderOf(deps.members, deps.isStaff);
  const accountDeps = {
    ...deps.members,
    loadFrame,
    paywallCounters: deps.paywallCounters,
    billing: deps.billing,
    isStaff: deps.isStaff,
  };
  await app.register(async (accountPages) => {
    // TypeBox's own checker: a form field these routes do not know is refused, not silently dropped by ajv.
    accountPages.setValidatorCompiler(TypeBoxValidatorCompiler);
    await signInRoutes(accountPages, accountDeps);
    await accountRoutes(accountPages, accountDeps);
  });
  await subscribeRoutes(app, accountDeps);
  await previewRoutes(app, { db: deps.db, clock: deps.clock, sessionSecret: deps.members.sessionSecret, loadFrame });
  /** A page rendered in `frame`: while it shows the breaking strip, it is cached only until the strip ends. */
  const page = (frame: SiteFrame, status: number, body: string, tags: string[]): RenderedPage => ({
    status,
    body,
    tags: [cacheTags.site, ...tags],
    expiresAt: frame.breaking?.expiresAt,
  });

  app.get<{ Params: Static<typeof SlugParams> }>(
    "/share/:slug.png",
    { schema: { params: SlugParams } },
    async (req, reply) => {
      const { slug } = req.params;
      if (!isValidSlug(slug)) throw new NotFound("PAGE_NOT_FOUND", "There is no image at this address.");
      const key = `anon:/share/${slug}.png`;
      const cached = sendCached(req, reply, deps.cache, key);
      if (cached) return cached;
      await deps.admit("pages", reply.raw);
      const ticket = deps.cache.ticket();
      const article = await content.findArticleForReading(deps.db, slug);
      if (!article) throw new NotFound("PAGE_NOT_FOUND", "There is no image at this address.");
      const settings = await loadSettings();
      const png = await renderShareImage({
        headline: article.title,
        kindLabel: article.kind === "news" ? article.section.name : (KIND_LABELS[article.kind] ?? article.kind),
        sectionName: article.section.name,
        siteTitle: settings.title,
        accentColor: settings.accentColor,
      });
      const rendered = {
        status: 200,
        body: png,
        contentType: "image/png",
        tags: [cacheTags.site, cacheTags.articlePage(article.id)],
      };
      return sendRendered(req, reply, deps.cache, { key, ticket, rendered });
    },
  );

  app.get("/favicon.svg", async (_req, reply) => {
    const settings = await loadSettings();
    return reply
      .header("content-type", "image/svg+xml")
      .header("cache-control", "public, max-age=86400")
      .send(renderFavicon(settings.title, settings.accentColor));
  });
  app.get("/favicon.ico", async (_req, reply) => reply.redirect("/favicon.svg", 301));

  await searchRoutes(app, { db: deps.db, cache: deps.cache, readerOf, loadFrame, loadBylines, admit: deps.admit });

  app.get("/", async (req, reply) => {
    const { cacheClass } = await readerOf(req, reply);
    return servePage(req, reply, deps.cache, `${cacheClass}:/`, async () => {
      await deps.admit("pages", reply.raw);
      const frame = await loadFrame(cacheClass);
      const home = await content.findHomePage(deps.db, frame.sections);
      const shown = [
        home.lead,
        ...home.top,
        ...home.latest,
        ...home.analysis,
        ...home.opinion,
        ...home.bySection.flatMap((b) => b.articles),
      ];
      const html = renderDocument(<HomePage frame={frame} home={home} jsonLd={homeJsonLd(frame)} />);
      return page(frame, 200, html, [cacheTags.home, ...shown.flatMap((a) => (a ? [cacheTags.article(a.id)] : []))]);
    });
  });

  const listing = (
    kind: "section" | "tag" | "author",
    find: (slug: string) => Promise<{ header: ListingHeader; filter: content.ListingFilter; tag: string } | undefined>,
  ) =>
    app.get<{ Params: Static<typeof SlugParams>; Querystring: Static<typeof PageQuery> }>(
      `/${kind}/:slug`,
      { schema: { params: SlugParams, querystring: PageQuery } },
      async (req, reply) => {
        const slug = req.params.slug;
        const pageNumber = req.query.page ?? 1;
        if (!isValidSlug(slug)) throw new NotFound("PAGE_NOT_FOUND", "There is no page at this address.");
        const basePath = `/${kind}/${slug}`;
        const { cacheClass } = await readerOf(req, reply);
        const key = `${cacheClass}:${basePath}?page=${pageNumber}`;
        const cached = sendCached(req, reply, deps.cache, key);
        if (cached) return cached;
        rejectKnownMissing(kind, slug);
        await deps.admit("pages", reply.raw);
        const ticket = deps.cache.ticket();
        const found = await find(slug);
        if (!found) return redirectOldSlug(reply, ticket, kind, slug, (s) => `/${kind}/${s}`);
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
        const frame = await loadFrame(cacheClass);
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
        const rendered = page(frame, 200, html, [found.tag, ...list.items.map((a) => cacheTags.article(a.id))]);
        return sendRendered(req, reply, deps.cache, { key, ticket, rendered });
      },
    );

  listing("section", async (slug) => {
    const s = await content.findSectionBySlug(deps.db, slug);
    return (
      s && {
        header: { kind: "section", ...s },
        filter: { kind: "section", sectionId: s.id },
        tag: cacheTags.section(s.id),
      }
    );
  });
  listing("tag", async (slug) => {
    const t = await content.findTagBySlug(deps.db, slug);
    return t && { header: { kind: "tag", ...t }, filter: { kind: "tag", tagId: t.id }, tag: cacheTags.tag(t.id) };
  });
  listing("author", async (slug) => {
    const a = await content.findAuthorBySlug(deps.db, slug);
    return (
      a && {
        header: { kind: "author", author: a },
        filter: { kind: "author", staffId: a.id },
        tag: cacheTags.author(a.id),
      }
    );
  });

  // What an article page shows, by slug, read once per cache generation (any publish or change moves it on):
  // the paywall's decision and a cached page need no query, nor does a page rendered for a signed-in reader or
  // past the page cache. Bounded by bytes.
  const articleData = new LRUCache<string, { generation: number; article: content.ArticleForReading }>({
    maxSize: ARTICLE_DATA_BYTES,
    sizeCalculation: ({ article }) =>
      1024 + article.previewHtml.length + article.gatedHtml.length + article.previewText.length,
  });

  app.get<{ Params: Static<typeof ArticleParams> }>(
    "/:section/:slug",
    { schema: { params: ArticleParams } },
    async (req, reply) => {
      const { section, slug } = req.params;
      if (!isValidSlug(slug) || !isValidSlug(section))
        throw new NotFound("PAGE_NOT_FOUND", "There is no page at this address.");
      const who = await readerOf(req, reply);
      const ticket = deps.cache.ticket();
      let stored = articleData.get(slug);
      if (stored?.generation !== ticket.generation) {
        rejectKnownMissing("article", slug);
        const loaded = await content.findArticleForReading(deps.db, slug);
        if (!loaded) {
          return redirectOldSlug(reply, ticket, "article", slug, (s, sectionSlug) => `/${sectionSlug}/${s}`);
        }
        stored = { generation: ticket.generation, article: loaded };
        articleData.set(slug, stored);
      }
      const { article } = stored;
      if (article.path !== `/${section}/${slug}`) return reply.redirect(article.path, 301);
      const settings = await loadSettings();
      // The outcome is decided before the cache is asked, so a page is only ever served to its own outcome.
      const outcome = await accessOutcomeFor(deps.members, { req, reply, who, article, settings });
      // A preview shown is a view of the wall, counted on every serving, the front door's too; a HEAD shows none.
      const onRepeat =
        outcome.kind === "preview" ? () => deps.paywallCounters.count(article.id, "wallViews") : undefined;
      if (isReadRequest(req)) onRepeat?.();
      const key = `${who.cacheClass}:${outcomeKey(outcome)}:${article.path}`;
      const cached = sendCached(req, reply, deps.cache, key, onRepeat);
      if (cached) return cached;
      const frame = await loadFrame(who.cacheClass);
      const { gatedHtml, previewHtml, ...view } = article;
      // The gated part joins the body only when the paywall says this reader may read it.
      const bodyHtml = outcome.kind === "full" ? previewHtml + gatedHtml : previewHtml;
      const description = article.seo.metaDescription ?? (article.dek || truncate(article.previewText, 160));
      const html = renderDocument(
        <ArticlePage
          frame={frame}
          article={view}
          bodyHtml={bodyHtml}
          access={outcome}
          description={description}
          jsonLd={articleJsonLd(frame, article, description)}
        />,
      );
      const rendered = page(frame, 200, html, [
        cacheTags.article(article.id),
        cacheTags.articlePage(article.id),
        ...article.related.map((a) => cacheTags.article(a.id)),
      ]);
      return sendRendered(req, reply, deps.cache, { key, ticket, rendered, onRepeat });
    },
  );

  app.get<{ Params: Static<typeof SlugParams> }>("/:slug", { schema: { params: SlugParams } }, async (req, reply) => {
    const slug = req.params.slug;
    if (!isValidSlug(slug)) throw new NotFound("PAGE_NOT_FOUND", "There is no page at this address.");
    const { cacheClass } = await readerOf(req, reply);
    const key = `${cacheClass}:/${slug}`;
    const cached = sendCached(req, reply, deps.cache, key);
    if (cached) return cached;
    rejectKnownMissing("page", slug);
    await deps.admit("pages", reply.raw);
    const ticket = deps.cache.ticket();
    const found = await content.findStaticPage(deps.db, slug);
    if (!found) return redirectOldSlug(reply, ticket, "page", slug, (s) => `/${s}`);
    const frame = await loadFrame(cacheClass);
    const html = renderDocument(
      <StaticPageView
        frame={frame}
        page={found}
        description={found.metaDescription ?? `${found.title} — ${frame.settings.title}`}
      />,
    );
    return sendRendered(req, reply, deps.cache, {
      key,
      ticket,
      rendered: page(frame, 200, html, [cacheTags.page(found.id)]),
    });
  });

  // Error pages do not depend on the address, so one rendering per status and message serves every request.
  const errorPages = new Map<string, { generation: number; html: string; expiresAt: Date | undefined }>();
  const plainPages = new Map<string, string>();
  async function renderErrorPage(input: ErrorPageInput, req?: FastifyRequest): Promise<string> {
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
    try {
      frame = await loadFrame(readerClass);
    } catch {
      // The database is out of reach: the frame last read, or a page with the site's stylesheet alone.
      const last = lastFrame(readerClass);
      if (!last) return renderDocument(<BareErrorPage css={deps.assets.css} {...input} />);
      return renderDocument(<ErrorPage frame={last} {...input} />);
    }
    const html = renderDocument(
      <ErrorPage frame={frame} status={input.status} message={input.message} requestId={input.requestId} />,
    );
    if (!input.requestId && (errorPages.size < 50 || errorPages.has(key))) {
      errorPages.set(key, { generation, html, expiresAt: frame.breaking?.expiresAt });
    }
    return html;
  }

  return { renderErrorPage };

  async function redirectOldSlug(
    reply: FastifyReply,
    ticket: RenderTicket,
    owner: content.SlugOwner,
    slug: string,
    pathFor: (slug: string, sectionSlug: string) => string,
  ): Promise<FastifyReply> {
    const target = await content.findSlugRedirect(deps.db, owner, slug);
    if (!target) {
      // The generation from before the lookups: a publish during them makes this record stale at once.
      knownMissing.set(`${owner}:${slug}`, ticket.generation);
      throw new NotFound("PAGE_NOT_FOUND", "There is no page at this address.");
    }
    return reply.redirect(pathFor(target.slug, target.sectionSlug ?? ""), 301);
  }

  /** A slug found missing since the last change to the site is missing still: answer 404 without the database. */
  function rejectKnownMissing(owner: content.SlugOwner, slug: string): void {
    if (knownMissing.get(`${owner}:${slug}`) === deps.cache.ticket().generation) {
      throw new NotFound("PAGE_NOT_FOUND", "There is no page at this address.");
    }
  }
}

/** The site's initial on its accent colour. */
function renderFavicon(title: string, accent: string): string {
  const initial = escapeHtml((title.replace(/^the\s+/i, "").trim()[0] ?? "B").toUpperCase());
  const fill = /^#[0-9a-fA-F]{3,8}$/.test(accent) ? accent : "#9b1c1c";
  return `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 64 64"><rect width="64" height="64" rx="12" fill="${fill}"/><text x="32" y="47" font-family="Georgia, serif" font-size="44" font-weight="700" text-anchor="middle" fill="#fff">${initial}</text></svg>`;
}

function truncate(text: string, max: number): string {
  const flat = text.replace(/\s+/g, " ").trim();
  if (flat.length <= max) return flat;
  const cut = flat.slice(0, max - 1);
  return `${cut.slice(0, cut.lastIndexOf(" ") > 80 ? cut.lastIndexOf(" ") : cut.length)}…`;
}
