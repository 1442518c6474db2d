/**
 * `/:slug`: a static page, one cached copy per reader class, left at the front door for the class alone to answer.
 * Any one-segment address no other route names comes here.
 */
import type { Static } from "@sinclair/typebox";
import type { FastifyInstance } from "fastify";
import { sendCached } from "../cache/index.js";
import * as content from "../content/index.js";
import { cacheTags } from "../content/index.js";
import { NotFound } from "../shared/errors.js";
import { isValidSlug, SlugParams } from "../shared/slug.js";
import type { SlugPageRouteDeps } from "./listing-routes.js";
import { framedPage, renderDocument, sendRendered } from "./serve-page.js";
import { StaticPageView } from "./views/simple-pages.js";

export async function staticPageRoutes(app: FastifyInstance, deps: SlugPageRouteDeps): Promise<void> {
  app.get<{ Params: Static<typeof SlugParams> }>("/:slug", { schema: { params: SlugParams } }, async (req, reply) => {
    const slug = req.params.slug;
    if (!isValidSlug(slug)) throw new NotFound("PAGE_NOT_FOUND", "There is no page at this address.");
    const { cacheClass } = await deps.readerOf(req, reply);
    deps.rememberClassPage(req, (readerClass) => `${readerClass}:/${slug}`);
    const key = `${cacheClass}:/${slug}`;
    const cached = sendCached(deps.cache, { req, reply, key: key });
    if (cached) return cached;
    deps.slugs.rejectKnownMissing("page", slug);
    await deps.admit("pages", reply.raw);
    const ticket = deps.cache.ticket();
    const found = await content.findStaticPage(deps.db, slug);
    if (!found) return deps.slugs.redirectOldSlug({ reply, ticket, owner: "page", slug, pathFor: (s) => `/${s}` });
    const frame = await deps.loadFrame(cacheClass);
    const html = renderDocument(
      <StaticPageView
        frame={frame}
        page={found}
        description={found.metaDescription ?? `${found.title} — ${frame.settings.title}`}
      />,
    );
    return sendRendered(deps.cache, {
      req,
      reply,
      key,
      ticket,
      rendered: framedPage(frame, 200, html, [cacheTags.page(found.id)]),
    });
  });
}
