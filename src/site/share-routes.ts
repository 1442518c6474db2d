/**
 * An article's share images: `/share/<slug>.png`, the branded card shown for an article without a picture, and
 * `/share/<slug>/<version>-<W>x<H>.jpg`, the JPEG crops Open Graph, X and Google are given (distribution's
 * share-crops.ts names them). A crop's address changes with what it shows, so it is cached for a year.
 */
import { type Static, Type } from "@sinclair/typebox";
import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import { type PageCache, replyFromCache, sendCached } from "../cache/index.js";
import * as content from "../content/index.js";
import { cacheTags } from "../content/index.js";
import type { Db } from "../db/index.js";
import { isShareFileName, renderShareImage, shareCropOf } from "../distribution/index.js";
import { NotFound } from "../shared/errors.js";
import type { CropPicture, PictureFiles } from "../shared/picture-files.js";
import { isValidSlug, SlugParams } from "../shared/slug.js";
import { type AdmitWork, sendRendered } from "./serve-page.js";
import { KIND_LABELS } from "./views/format.js";

export type ShareImageDeps = {
  db: Db;
  cache: PageCache;
  admit: AdmitWork;
  loadSettings: () => Promise<content.SiteSettings>;
  /** The articles' pictures, and the cut that makes crops of them (media's, handed over by app.ts). */
  pictures: PictureFiles;
  cropPicture: CropPicture;
};

/** The card's background, which fills the margins when the card is fitted into another shape. */
const CARD_BACKGROUND = "#fbfaf7";

const CropParams = Type.Object({ slug: Type.String({ maxLength: 200 }), file: Type.String({ maxLength: 40 }) });

const noImage = () => new NotFound("PAGE_NOT_FOUND", "There is no image at this address.");

function drawCard(article: content.ArticleForReading, settings: content.SiteSettings): Promise<Buffer> {
  return renderShareImage({
    headline: article.title,
    kindLabel: article.kind === "news" ? article.section.name : (KIND_LABELS[article.kind] ?? article.kind),
    sectionName: article.section.name,
    siteTitle: settings.title,
    accentColor: settings.accentColor,
  });
}

export async function shareImageRoutes(app: FastifyInstance, deps: ShareImageDeps): Promise<void> {
  const cardKey = (slug: string) => `anon:/share/${slug}.png`;

  app.get<{ Params: Static<typeof SlugParams> }>(
    "/share/:slug.png",
    { schema: { params: SlugParams } },
    async (req, reply) => {
      const { slug } = req.params;
      if (!isValidSlug(slug)) throw noImage();
      const key = cardKey(slug);
      const cached = sendCached(deps.cache, { req, reply, key: key });
      if (cached) return cached;
      await deps.admit("pages", reply.raw);
      const ticket = deps.cache.ticket();
      const article = await content.findArticleForReading(deps.db, slug);
      if (!article) throw noImage();
      const png = await drawCard(article, await deps.loadSettings());
      const tags = [cacheTags.site, cacheTags.article(article.id)];
      const rendered = { status: 200, body: png, contentType: "image/png", tags };
      return sendRendered(deps.cache, { req, reply, key, ticket, rendered });
    },
  );

  app.get<{ Params: Static<typeof CropParams> }>(
    "/share/:slug/:file",
    { schema: { params: CropParams } },
    async (req, reply) => serveCrop(deps, { req, reply, cardKey }),
  );
}

async function serveCrop(
  deps: ShareImageDeps,
  input: {
    req: FastifyRequest<{ Params: Static<typeof CropParams> }>;
    reply: FastifyReply;
    cardKey: (slug: string) => string;
  },
): Promise<FastifyReply> {
  const { req, reply, cardKey } = input;
  const { slug, file } = req.params;
  if (!isValidSlug(slug) || !isShareFileName(file)) throw noImage();
  const key = `anon:/share/${slug}/${file}`;
  const cached = sendCached(deps.cache, { req, reply, key: key });
  if (cached) return cached;
  await deps.admit("pages", reply.raw);
  const ticket = deps.cache.ticket();
  const article = await content.findArticleForReading(deps.db, slug);
  const settings = await deps.loadSettings();
  // An address made for another picture or headline than the article's now is not served: pages name the new one.
  const crop = article && shareCropOf(file, article, settings);
  if (!article || !crop) throw noImage();
  const picture = article.image ? await deps.pictures.read(article.image.url) : undefined;
  const source = picture ?? deps.cache.get(cardKey(slug))?.body ?? (await drawCard(article, settings));
  const jpeg = await deps.cropPicture(source, {
    width: crop.width,
    height: crop.height,
    fit: picture ? "cover" : "contain",
    background: CARD_BACKGROUND,
  });
  const page = deps.cache.store(
    key,
    {
      status: 200,
      contentType: "image/jpeg",
      body: jpeg,
      // A crop's address names its content for good.
      kind: "asset",
      tags: [cacheTags.site, cacheTags.article(article.id)],
    },
    ticket,
  );
  return replyFromCache(deps.cache, { req, reply, key, page });
}
