/** The reader site: front page, sections, tags, authors, articles and static pages. */
import { TypeBoxValidatorCompiler } from "@fastify/type-provider-typebox";
import { type Static, Type } from "@sinclair/typebox";
import type { FastifyInstance, FastifyRequest } from "fastify";
import * as billing from "../billing/index.js";
import { type PageCache, sendCached } from "../cache/index.js";
import * as content from "../content/index.js";
import { cacheTags } from "../content/index.js";
import type { Db } from "../db/index.js";
import { breadcrumbJsonLd, homeJsonLd } from "../distribution/index.js";
import type { MemberDeps } from "../members/index.js";
import * as newsletters from "../newsletters/index.js";
import type { PaywallCounters } from "../paywall/index.js";
import type { Clock } from "../shared/clock.js";
import { Invalid, NotFound } from "../shared/errors.js";
import { escapeHtml } from "../shared/html.js";
import type { CropPicture, PictureFiles } from "../shared/picture-files.js";
import { isValidSlug } from "../shared/slug.js";
import { accountRoutes } from "./account/account-routes.js";
import { signInRoutes } from "./account/sign-in-routes.js";
import { articleRoutes } from "./article-routes.js";
import { assetRoutes } from "./asset-routes.js";
import type { SiteAssets } from "./assets.js";
import { classPageAnswerer } from "./cookie-decisions.js";
import { mostReadRoutes } from "./most-read-routes.js";
import { newsletterRoutes } from "./newsletters/newsletter-routes.js";
import { unsubscribeRoutes } from "./newsletters/unsubscribe-routes.js";
import { previewRoutes } from "./preview-routes.js";
import { createReaderOf, readerClassOf, type StaffCheck } from "./reader.js";
import { searchRoutes } from "./search-routes.js";
import { type AdmitWork, framedPage, renderDocument, sendRendered, servePage } from "./serve-page.js";
import { shareImageRoutes } from "./share-routes.js";
import { createSlugMisses } from "./slug-misses.js";
import { subscribeRoutes } from "./subscribe/subscribe-routes.js";
import type { ReaderClass, SiteFrame } from "./views/frame.js";
import { HomePage } from "./views/home-page.js";
import { type ListingHeader, ListingPage } from "./views/listing-page.js";
import type { SubscriptionPrices } from "./views/price-terms.js";
import { BareErrorPage, ErrorPage, StaticPageView } from "./views/simple-pages.js";

export type SiteDeps = {
  db: Db;
  cache: PageCache;
  clock: Clock;
  publicUrl: string;
  assets: SiteAssets;
  members: MemberDeps;
  paywallCounters: PaywallCounters;
  /** Reads per article for "Most read", counted in memory; a round saves them. */
  readCounts: content.ReadCounts;
  billing: billing.BillingDeps;
  isStaff: StaffCheck;
  /** A turn for work the page cache could not answer; refused (503) while the server sheds load. */
  admit: AdmitWork;
  /** Articles' pictures and the cut that makes their share crops (media's, handed over by app.ts). */
  pictures: PictureFiles;
  cropPicture: CropPicture;
};

const SlugParams = Type.Object({ slug: Type.String({ maxLength: 200 }) });
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
  const [settings, sections, pages, breaking, active] = await Promise.all([
    content.getSettings(deps.db),
    content.listSections(deps.db),
    content.listStaticPages(deps.db),
    content.findBreakingNews(deps.db),
    newsletters.listActiveNewsletters(deps.db),
  ]);
  const navigation = content.mastheadSections(settings.navigation, sections);
  const prices = await readPrices(deps, settings.currency);
  // The sign-up box at the end of articles: a free newsletter, a default one first. The same for every reader.
  const open = active.filter(newsletters.canSignUpFromPage);
  const pick = open.find((n) => n.isDefault) ?? open[0];
  const signUp = pick ? { name: pick.name, slug: pick.slug, description: pick.description } : null;
  return {
    ...{ settings, sections, navigation, pages, breaking, prices, signUp },
    publicUrl: deps.publicUrl,
    assets: deps.assets,
  };
}

/** The plan and the offer every new reader gets now; none without Stripe, where nothing can be bought. */
async function readPrices(deps: SiteDeps, currency: string): Promise<SubscriptionPrices | null> {
  if (!deps.billing.stripe) return null;
  const [plan, lookup] = await Promise.all([
    billing.getPlan(deps.db),
    billing.findOfferForReader(deps.db, { code: undefined, now: deps.clock.now(), currency }),
  ]);
  return { plan, offer: lookup.kind === "valid" ? lookup.offer : undefined, currency };
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
    const offerEnded = data.prices?.offer?.expiresAt && data.prices.offer.expiresAt <= now;
    const prices = data.prices && offerEnded ? { ...data.prices, offer: undefined } : data.prices;
    return { ...data, breaking, prices, now, readerClass };
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
  await assetRoutes(app, deps.assets);
  const { loadFrame, lastFrame, loadSettings } = createFrameLoader(deps);
  // The search form's author choices: a byline or a name changes only with an invalidation.
  const loadBylines = perGeneration(deps.cache, () => content.listBylines(deps.db));
  // A page that found nothing offers the newest headlines instead.
  const loadLatest = perGeneration(deps.cache, () => content.listLatestArticles(deps.db, 6));
  const slugs = createSlugMisses(deps);
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
    await newsletterRoutes(accountPages, { ...accountDeps, cache: deps.cache, readerOf });
    await accountPages.register(async (links) =>
      unsubscribeRoutes(links, { ...accountDeps, cache: deps.cache, readerOf }),
    );
  });
  await subscribeRoutes(app, accountDeps);
  await previewRoutes(app, { db: deps.db, clock: deps.clock, sessionSecret: deps.members.sessionSecret, loadFrame });

  await shareImageRoutes(app, { ...deps, loadSettings });
  await mostReadRoutes(app, { ...deps, loadSettings });

  app.get("/favicon.svg", async (_req, reply) => {
    const settings = await loadSettings();
    return reply
      .header("content-type", "image/svg+xml")
      .header("cache-control", "public, max-age=86400")
      .send(renderFavicon(settings.title, settings.accentColor));
  });
  app.get("/favicon.ico", async (_req, reply) => reply.redirect("/favicon.svg", 301));

  await searchRoutes(app, { db: deps.db, cache: deps.cache, readerOf, loadFrame, loadBylines, admit: deps.admit });

  /**
   * The next read of this address, with a meter or a fresh session cookie, is decided at the front door by reader
   * class alone. It is answered there only once a page is cached at the class's key, which only a 200 for this
   * address puts there, so it may be left before the route knows whether the address exists.
   */
  const rememberClassPage = (req: FastifyRequest, keyFor: (cacheClass: ReaderClass) => string) =>
    deps.cache.rememberAnswerer(req.raw.url ?? "", classPageAnswerer(deps.members, keyFor), deps.cache.ticket());

  app.get("/", async (req, reply) => {
    const { cacheClass } = await readerOf(req, reply);
    rememberClassPage(req, (readerClass) => `${readerClass}:/`);
    return servePage(req, reply, deps.cache, `${cacheClass}:/`, async () => {
      await deps.admit("pages", reply.raw);
      const frame = await loadFrame(cacheClass);
      const home = await content.findHomePage(deps.db, frame.sections);
      // Refreshed by the rounds' check (app/rounds.ts), which drops `home` when the list changes.
      const mostRead = await content.findMostRead(deps.db, deps.clock.now());
      const shown = [
        ...mostRead.articles,
        home.lead,
        ...home.top,
        ...home.latest,
        ...home.analysis,
        ...home.opinion,
        ...home.bySection.flatMap((b) => b.articles),
      ];
      const html = renderDocument(
        <HomePage frame={frame} home={home} mostRead={mostRead} jsonLd={homeJsonLd(frame)} />,
      );
      return framedPage(frame, 200, html, [
        cacheTags.home,
        ...shown.flatMap((a) => (a ? [cacheTags.article(a.id)] : [])),
      ]);
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
        const keyFor = (readerClass: ReaderClass) => `${readerClass}:${basePath}?page=${pageNumber}`;
        rememberClassPage(req, keyFor);
        const key = keyFor(cacheClass);
        const cached = sendCached(req, reply, deps.cache, key);
        if (cached) return cached;
        slugs.rejectKnownMissing(kind, slug);
        await deps.admit("pages", reply.raw);
        const ticket = deps.cache.ticket();
        const found = await find(slug);
        if (!found) return slugs.redirectOldSlug(reply, ticket, kind, slug, (s) => `/${kind}/${s}`);
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
        const rendered = framedPage(frame, 200, html, [found.tag, ...list.items.map((a) => cacheTags.article(a.id))]);
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

  await articleRoutes(app, { ...deps, readerOf, loadFrame, loadSettings, slugs });

  app.get<{ Params: Static<typeof SlugParams> }>("/:slug", { schema: { params: SlugParams } }, async (req, reply) => {
    const slug = req.params.slug;
    if (!isValidSlug(slug)) throw new NotFound("PAGE_NOT_FOUND", "There is no page at this address.");
    const { cacheClass } = await readerOf(req, reply);
    rememberClassPage(req, (readerClass) => `${readerClass}:/${slug}`);
    const key = `${cacheClass}:/${slug}`;
    const cached = sendCached(req, reply, deps.cache, key);
    if (cached) return cached;
    slugs.rejectKnownMissing("page", slug);
    await deps.admit("pages", reply.raw);
    const ticket = deps.cache.ticket();
    const found = await content.findStaticPage(deps.db, slug);
    if (!found) return slugs.redirectOldSlug(reply, ticket, "page", slug, (s) => `/${s}`);
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
      rendered: framedPage(frame, 200, html, [cacheTags.page(found.id)]),
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
    let latest: content.ArticleSummary[];
    try {
      frame = await loadFrame(readerClass);
      latest = input.status === 404 ? await loadLatest() : [];
    } catch {
      // The database is out of reach: the frame last read, or a page with the site's stylesheet alone.
      const last = lastFrame(readerClass);
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
  }

  return { renderErrorPage };
}

/** The site's initial on its accent colour. */
function renderFavicon(title: string, accent: string): string {
  const initial = escapeHtml((title.replace(/^the\s+/i, "").trim()[0] ?? "B").toUpperCase());
  const fill = /^#[0-9a-fA-F]{3,8}$/.test(accent) ? accent : "#9b1c1c";
  return `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 64 64"><rect width="64" height="64" rx="12" fill="${fill}"/><text x="32" y="47" font-family="Georgia, serif" font-size="44" font-weight="700" text-anchor="middle" fill="#fff">${initial}</text></svg>`;
}
