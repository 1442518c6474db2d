/**
 * /preview/:token — a newsroom preview link: the article, in any status, as an anonymous reader or a subscriber
 * would see it. The token alone decides (never the visitor's cookies); nothing is cached, counted or indexed.
 */
import { type Static, Type } from "@sinclair/typebox";
import type { FastifyInstance } from "fastify";
import * as content from "../content/index.js";
import type { Db } from "../db/index.js";
import { type AccessOutcome, decideAccess, type Reader, unmeteredOutcome } from "../paywall/index.js";
import type { Clock } from "../shared/clock.js";
import { Gone, NotFound } from "../shared/errors.js";
import { renderArticleDocument } from "./article-routes.js";
import type { ReaderClass, SiteFrame } from "./views/frame.js";

const TokenParams = Type.Object({ token: Type.String({ maxLength: 200 }) });

const AS: Record<content.PreviewAudience, { reader: Reader; readerClass: ReaderClass }> = {
  anonymous: { reader: { kind: "anonymous" }, readerClass: "anon" },
  subscriber: { reader: { kind: "member", isSubscriber: true }, readerClass: "subscriber" },
};

export async function previewRoutes(
  app: FastifyInstance,
  deps: { db: Db; clock: Clock; sessionSecret: string; loadFrame(readerClass: ReaderClass): Promise<SiteFrame> },
): Promise<void> {
  app.get<{ Params: Static<typeof TokenParams> }>(
    "/preview/:token",
    { schema: { params: TokenParams } },
    async (req, reply) => {
      // Personal and short-lived: no shared cache keeps it, no search engine lists it, no link passes the token on.
      reply
        .header("cache-control", "private, no-store")
        .header("x-robots-tag", "noindex")
        .header("referrer-policy", "no-referrer");
      const check = content.readPreviewToken(req.params.token, deps.sessionSecret, deps.clock.now());
      if (check.kind === "invalid") throw new NotFound("PAGE_NOT_FOUND", "There is no page at this address.");
      if (check.kind === "expired") {
        throw new Gone("PREVIEW_EXPIRED", "This preview link has expired. Ask the newsroom for a new one.");
      }
      const { articleId, audience, expiresAt } = check.claim;
      const article = await content.findArticleForPreview(deps.db, articleId);
      if (!article) throw new NotFound("PAGE_NOT_FOUND", "There is no page at this address.");
      const { reader, readerClass } = AS[audience];
      const outcome = previewOutcome(reader, article);
      const frame = await deps.loadFrame(readerClass);
      const html = renderArticleDocument({
        frame,
        article,
        outcome,
        preview: { audience, status: article.status, expiresAt },
      });
      return reply.type("text/html; charset=utf-8").send(html);
    },
  );
}

/**
 * What the reader is shown, without a meter: a metered article previews as the wall a reader meets once the
 * free articles are used up, so the anonymous preview never carries the gated part.
 */
function previewOutcome(reader: Reader, article: content.ArticleForReading): AccessOutcome {
  const decision = decideAccess(reader, article);
  return decision.kind === "metered" ? { kind: "preview", ask: decision.ask } : unmeteredOutcome(decision);
}
