/** /feed, /section/:slug/feed, /tag/:slug/feed and /author/:slug/feed, each as RSS, /atom and /json. */
import type { Static } from "@sinclair/typebox";
import type { FastifyInstance } from "fastify";
import * as content from "../content/index.js";
import { cacheTags } from "../content/index.js";
import { NotFound } from "../shared/errors.js";
import { isValidSlug, SlugParams } from "../shared/slug.js";
import type { DistributionDeps } from "./deps.js";
import { FEED_FORMATS, type FeedFormat, renderFeed } from "./render-feed.js";
import { type RenderedDocument, serveDocument } from "./serve-document.js";

const FEED_SIZE = 30;

const LISTINGS = ["section", "tag", "author"] as const;
type Listing = (typeof LISTINGS)[number];

/** The listing a feed follows, as its feed shows it. */
type FeedScope = { name: string; description: string; filter: content.ListingFilter; tag: string };

/** Where a feed lives and what it follows: the whole paper, or one listing. */
type FeedTarget = { pagePath: string; feedPath: string; scope?: FeedScope };

export function feedRoutes(app: FastifyInstance, deps: DistributionDeps): void {
  const render = async (format: FeedFormat, target: FeedTarget): Promise<RenderedDocument> => {
    const { scope } = target;
    const [settings, articles] = await Promise.all([
      content.getSettings(deps.db),
      content.listArticlesForFeed(deps.db, { ...(scope ? { filter: scope.filter } : {}), limit: FEED_SIZE }),
    ]);
    const channel = {
      title: scope ? `${scope.name} — ${settings.title}` : settings.title,
      description: scope?.description || settings.description,
      pagePath: target.pagePath,
      feedPath: target.feedPath,
    };
    const pictures = await describePictures(deps, articles);
    const input = { settings, publicUrl: deps.publicUrl, channel, articles, pictures, hubUrl: deps.websubHubUrl };
    return {
      kind: "document",
      body: renderFeed({ ...input, now: deps.clock.now() }, format),
      contentType: FEED_FORMATS[format].contentType,
      tags: [
        cacheTags.site,
        cacheTags.feeds,
        ...(scope ? [scope.tag] : []),
        ...articles.map((a) => cacheTags.article(a.id)),
      ],
    };
  };

  for (const format of Object.keys(FEED_FORMATS) as FeedFormat[]) {
    const suffix = FEED_FORMATS[format].suffix;
    app.get(`/feed${suffix}`, async (req, reply) =>
      serveDocument(req, reply, deps, {
        key: `anon:/feed${suffix}`,
        kind: "feed",
        render: () => render(format, { pagePath: "/", feedPath: "/feed" }),
      }),
    );

    for (const listing of LISTINGS) {
      app.get<{ Params: Static<typeof SlugParams> }>(
        `/${listing}/:slug/feed${suffix}`,
        { schema: { params: SlugParams } },
        async (req, reply) => {
          const { slug } = req.params;
          if (!isValidSlug(slug)) throw new NotFound("FEED_NOT_FOUND", "There is no feed at this address.");
          const pagePath = `/${listing}/${slug}`;
          return serveDocument(req, reply, deps, {
            key: `anon:${pagePath}/feed${suffix}`,
            kind: "feed",
            render: async () => {
              const scope = await findScope(deps, listing, slug);
              if (scope) return render(format, { pagePath, feedPath: `${pagePath}/feed`, scope });
              // A renamed listing's feed moves with it, so readers' subscriptions follow.
              const moved = await content.findSlugRedirect(deps.db, listing, slug);
              if (!moved) throw new NotFound("FEED_NOT_FOUND", "There is no feed at this address.");
              return { kind: "moved", location: `/${listing}/${moved.slug}/feed${suffix}` };
            },
          });
        },
      );
    }
  }
}

async function describePictures(deps: DistributionDeps, articles: content.FeedArticle[]) {
  const urls = [...new Set(articles.flatMap((a) => (a.image ? [a.image.url] : [])))];
  const files = await Promise.all(urls.map(async (url) => [url, await deps.pictures.describe(url)] as const));
  return new Map(files.flatMap(([url, file]) => (file ? [[url, file] as const] : [])));
}

async function findScope(deps: DistributionDeps, listing: Listing, slug: string): Promise<FeedScope | undefined> {
  if (listing === "section") {
    const s = await content.findSectionBySlug(deps.db, slug);
    return (
      s && {
        name: s.name,
        description: s.description,
        filter: { kind: "section", sectionId: s.id },
        tag: cacheTags.section(s.id),
      }
    );
  }
  if (listing === "tag") {
    const t = await content.findTagBySlug(deps.db, slug);
    return (
      t && { name: t.name, description: t.description, filter: { kind: "tag", tagId: t.id }, tag: cacheTags.tag(t.id) }
    );
  }
  const a = await content.findAuthorBySlug(deps.db, slug);
  return (
    a && { name: a.name, description: a.bio, filter: { kind: "author", staffId: a.id }, tag: cacheTags.author(a.id) }
  );
}
