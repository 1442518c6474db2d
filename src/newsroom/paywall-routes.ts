/** The paywall's settings and report (/admin/api/paywall): editors read them, admins change the settings. */
import type { TypeBoxTypeProvider } from "@fastify/type-provider-typebox";
import { Type } from "@sinclair/typebox";
import type { FastifyInstance } from "fastify";
import * as content from "../content/index.js";
import { paywallReport } from "../paywall/index.js";
import { actorOf, authorize } from "./api-guard.js";
import { AccessDefault, closed } from "./api-schema.js";
import type { NewsroomDeps } from "./newsroom-deps.js";

const Allowance = Type.Integer({ minimum: 0, maximum: content.MAX_ALLOWANCE });
const KindDefaults = Type.Partial(closed(Object.fromEntries(content.ARTICLE_KINDS.map((k) => [k, AccessDefault]))));
const Text = Type.String({ minLength: 1, maxLength: 500 });
const PaywallTexts = closed({
  register: Type.Optional(Text),
  subscribe: Type.Optional(Text),
  exhausted: Type.Optional(Text),
});
const PaywallSettings = closed(
  {
    anonymousAllowance: Allowance,
    registeredAllowance: Allowance,
    previewParagraphs: Type.Integer({ minimum: 1, maximum: 20 }),
    kindAccessDefaults: KindDefaults,
    paywallTexts: PaywallTexts,
  },
  { title: "PaywallSettings" },
);
const ReportQuery = closed({ days: Type.Optional(Type.Integer({ minimum: 1, maximum: 366 })) });
const ReportRow = closed(
  {
    articleId: Type.String(),
    title: Type.String(),
    path: Type.String(),
    wallViews: Type.Integer(),
    registrations: Type.Integer(),
    subscriptions: Type.Integer(),
  },
  { title: "PaywallReportRow" },
);

export async function paywallRoutes(app: FastifyInstance, deps: NewsroomDeps): Promise<void> {
  const api = app.withTypeProvider<TypeBoxTypeProvider>();
  const paywallSettings = async () => {
    const s = await content.getSettings(deps.db);
    return {
      anonymousAllowance: s.anonymousAllowance,
      registeredAllowance: s.registeredAllowance,
      previewParagraphs: s.previewParagraphs,
      kindAccessDefaults: s.kindAccessDefaults,
      paywallTexts: s.paywallTexts,
    };
  };

  api.get("/paywall", { schema: { response: { 200: PaywallSettings } } }, async (req) => {
    authorize(actorOf(req), "paywall.read", undefined);
    return paywallSettings();
  });

  api.put("/paywall", { schema: { body: PaywallSettings, response: { 200: PaywallSettings } } }, async (req) => {
    authorize(actorOf(req), "paywall.configure", undefined);
    // Every wall and meter banner shows these: all pages are dropped.
    await deps.invalidator.commit(async (tx) => {
      await content.updatePaywallSettings(tx, req.body);
      return { invalidates: [content.cacheTags.site] };
    });
    return paywallSettings();
  });

  api.get(
    "/paywall/report",
    { schema: { querystring: ReportQuery, response: { 200: closed({ articles: Type.Array(ReportRow) }) } } },
    async (req) => {
      authorize(actorOf(req), "paywall.read", undefined);
      const since = new Date(deps.clock.now().getTime() - (req.query.days ?? 30) * 86_400_000);
      const rows = await paywallReport(deps.db, since.toISOString().slice(0, 10));
      const headlines = await content.articleHeadlines(
        deps.db,
        rows.map((r) => r.articleId),
      );
      return {
        articles: rows.flatMap((r) => {
          const article = headlines.get(r.articleId);
          return article ? [{ ...r, ...article }] : [];
        }),
      };
    },
  );
}
