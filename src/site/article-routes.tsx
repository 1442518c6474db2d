/**
 * An article's page at `/:section/:slug`: one cached variant per reader class and paywall outcome. The outcome is
 * decided from the cookies alone when they tell enough (`decideFromCookies`), and that decision is left at the
 * front door for the address, so the next such read is answered before routing; otherwise the session and the
 * meter are read as any route reads them.
 */
import type { IncomingMessage } from "node:http";
import { type Static, Type } from "@sinclair/typebox";
import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import { LRUCache } from "lru-cache";
import type { ComponentProps } from "preact";
import { type PageCache, type RenderTicket, sendCached } from "../cache/index.js";
import * as content from "../content/index.js";
import { cacheTags } from "../content/index.js";
import type { Db } from "../db/index.js";
import { articleJsonLd, GATED_TEXT_CLASS } from "../distribution/index.js";
import type { MemberDeps } from "../members/index.js";
import type { AccessOutcome, PaywallCounters } from "../paywall/index.js";
import { NotFound } from "../shared/errors.js";
import { isValidSlug } from "../shared/slug.js";
import { accessOutcomeFor, isReadRequest } from "./article-access.js";
import { articleAnswerer, articlePageKey, decideFromCookies } from "./cookie-decisions.js";
import { markPersonal, type ReaderInfo } from "./reader.js";
import { type AdmitWork, framedPage, renderDocument, sendRendered } from "./serve-page.js";
import type { SlugMisses } from "./slug-misses.js";
import { ArticlePage } from "./views/article-page.js";
import type { ReaderClass, SiteFrame } from "./views/frame.js";

export type ArticleRouteDeps = {
  db: Db;
  cache: PageCache;
  members: MemberDeps;
  paywallCounters: PaywallCounters;
  readCounts: content.ReadCounts;
  admit: AdmitWork;
  readerOf: (req: FastifyRequest, reply: FastifyReply) => Promise<ReaderInfo>;
  loadFrame: (readerClass?: ReaderClass) => Promise<SiteFrame>;
  loadSettings: () => Promise<content.SiteSettings>;
  slugs: SlugMisses;
};

/** How much article data the article route keeps between invalidations, in bytes. */
const ARTICLE_DATA_BYTES = 64 * 1024 * 1024;

const ArticleParams = Type.Object({ section: Type.String({ maxLength: 200 }), slug: Type.String({ maxLength: 200 }) });

export async function articleRoutes(app: FastifyInstance, deps: ArticleRouteDeps): Promise<void> {
  const articles = articleStore(deps);
  app.get<{ Params: Static<typeof ArticleParams> }>(
    "/:section/:slug",
    { schema: { params: ArticleParams } },
    async (req, reply) => {
      const { section, slug } = req.params;
      if (!isValidSlug(slug) || !isValidSlug(section))
        throw new NotFound("PAGE_NOT_FOUND", "There is no page at this address.");
      const ticket = deps.cache.ticket();
      const article = await articles.find(slug, ticket.generation);
      if (!article) {
        return deps.slugs.redirectOldSlug({
          reply,
          ticket,
          owner: "article",
          slug,
          pathFor: (s, sectionSlug) => `/${sectionSlug}/${s}`,
        });
      }
      if (article.path !== `/${section}/${slug}`) return reply.redirect(article.path, 301);
      return serveArticle(deps, { req, reply, ticket, article });
    },
  );
}

/**
 * What an article page shows, by slug, read once per cache generation (any publish or change moves it on): the
 * paywall's decision and a cached page need no query, nor does a page rendered for a signed-in reader or past the
 * page cache. Bounded by bytes.
 */
function articleStore(deps: Pick<ArticleRouteDeps, "db" | "slugs">) {
  const articleData = new LRUCache<string, { generation: number; article: content.ArticleForReading }>({
    maxSize: ARTICLE_DATA_BYTES,
    sizeCalculation: ({ article }) =>
      1024 + article.previewHtml.length + article.gatedHtml.length + article.previewText.length,
  });
  return {
    /** The article at `slug`, or undefined when there is none (a known miss throws NotFound). */
    async find(slug: string, generation: number): Promise<content.ArticleForReading | undefined> {
      const stored = articleData.get(slug);
      if (stored?.generation === generation) return stored.article;
      deps.slugs.rejectKnownMissing("article", slug);
      const loaded = await content.findArticleForReading(deps.db, slug);
      if (loaded) articleData.set(slug, { generation, article: loaded });
      return loaded;
    },
  };
}

type ArticleRequest = {
  req: FastifyRequest;
  reply: FastifyReply;
  ticket: RenderTicket;
  article: content.ArticleForReading;
};

/** The page for this reader's outcome: from the page cache, or rendered when its turn comes. */
async function serveArticle(deps: ArticleRouteDeps, input: ArticleRequest): Promise<FastifyReply> {
  const { req, reply, ticket, article } = input;
  const settings = await deps.loadSettings();
  // The outcome is decided before the cache is asked, so a page is only ever served to its own outcome.
  const { cacheClass, outcome } = await decideOutcome(deps, { req, reply, article, settings });
  const countView = viewCounter(deps, article.id);
  const onRepeat = (raw: IncomingMessage) => countView(raw, outcome.kind === "preview");
  if (isReadRequest(req)) onRepeat(req.raw);
  const key = articlePageKey(cacheClass, outcome, article.path);
  // The next read of this address is decided at the front door, from what deciding needs and nothing more.
  const { id, path, accessLevel, isMetered, hasGatedPart } = article;
  const { anonymousAllowance, timeZone } = settings;
  deps.cache.rememberAnswerer(
    req.raw.url ?? "",
    articleAnswerer(deps.members, {
      article: { id, path, accessLevel, isMetered, hasGatedPart },
      settings: { anonymousAllowance, timeZone },
      countView,
    }),
    ticket,
  );
  const cached = sendCached(deps.cache, { req, reply, key: key, onRepeat: onRepeat });
  if (cached) return cached;
  // Rendering is uncached work: it waits its turn with the other pages, or is refused when too many wait.
  await deps.admit("pages", reply.raw);
  const frame = await deps.loadFrame(cacheClass);
  const html = renderArticleDocument({ frame, article, outcome });
  const rendered = framedPage(frame, 200, html, [
    cacheTags.article(article.id),
    cacheTags.articlePage(article.id),
    ...article.related.map((a) => cacheTags.article(a.id)),
  ]);
  return sendRendered(deps.cache, { req, reply, key, ticket, rendered, onRepeat });
}

/** The reader's class and outcome: from the cookies when they tell enough, else from the session and meter. */
async function decideOutcome(
  deps: ArticleRouteDeps,
  input: Omit<ArticleRequest, "ticket"> & { settings: content.SiteSettings },
): Promise<{ cacheClass: ReaderClass; outcome: AccessOutcome }> {
  const { req, reply, article, settings } = input;
  const isRead = isReadRequest(req);
  const decided = decideFromCookies(deps.members, { cookieHeader: req.headers.cookie, isRead, article, settings });
  if (decided) {
    if (decided.personal) markPersonal(reply);
    if (decided.setCookie) reply.header("set-cookie", decided.setCookie);
    return decided;
  }
  const who = await deps.readerOf(req, reply);
  const outcome = await accessOutcomeFor(deps.members, { req, reply, who, article, settings });
  return { cacheClass: who.cacheClass, outcome };
}

/**
 * Every serving is a read ("Most read") and a preview shown a view of the wall, the front door's servings too;
 * a HEAD shows none. Both are counted in memory and saved by a round.
 */
function viewCounter(deps: Pick<ArticleRouteDeps, "readCounts" | "paywallCounters">, articleId: string) {
  return (raw: IncomingMessage, isWall: boolean) => {
    deps.readCounts.count(articleId, raw.headers["user-agent"]);
    if (isWall) deps.paywallCounters.count(articleId, "wallViews");
  };
}

/**
 * An article's page for an outcome; the article route's and the newsroom preview's. The gated part joins the body
 * only when the outcome is "full": the view never sees it otherwise. It comes wrapped in the one element the
 * structured data's `hasPart.cssSelector` names.
 */
export function renderArticleDocument(input: {
  frame: SiteFrame;
  article: content.ArticleForReading & { status?: unknown };
  outcome: AccessOutcome;
  preview?: ComponentProps<typeof ArticlePage>["preview"];
}): string {
  const { frame, outcome } = input;
  const { gatedHtml, previewHtml, status: _status, ...view } = input.article;
  const bodyHtml =
    outcome.kind === "full" && gatedHtml
      ? `${previewHtml}<div class="${GATED_TEXT_CLASS}">${gatedHtml}</div>`
      : previewHtml;
  const description = view.seo.metaDescription ?? (view.dek || truncate(view.previewText, 160));
  return renderDocument(
    <ArticlePage
      frame={frame}
      article={view}
      bodyHtml={bodyHtml}
      access={outcome}
      description={description}
      jsonLd={articleJsonLd(frame, input.article, description)}
      preview={input.preview}
    />,
  );
}

function truncate(text: string, max: number): string {
  const flat = text.replace(/\s+/g, " ").trim();
  if (flat.length <= max) return flat;
  const cut = flat.slice(0, max - 1);
  return `${cut.slice(0, cut.lastIndexOf(" ") > 80 ? cut.lastIndexOf(" ") : cut.length)}…`;
}
