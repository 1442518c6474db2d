/** /subscribe and its way through Stripe Checkout and back; /account/billing opens the Customer Portal. */
import { type Static, Type } from "@sinclair/typebox";
import type { FastifyInstance } from "fastify";
import * as billing from "../../billing/index.js";
import * as members from "../../members/index.js";
import { type AccountDeps, rejectCrossSiteForm, requireMember, sendPersonalPage } from "../account/pages.js";
import { createReaderOf } from "../reader.js";
import { renderDocument } from "../serve-page.js";
import { CheckoutResultPage, SubscribePage } from "./subscribe-views.js";

const ArticleId = Type.String({ pattern: "^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$" });
/** `from`: the article whose paywall sent the reader here, credited if they subscribe. */
const SubscribeQuery = Type.Object({ from: Type.Optional(ArticleId) });
const CheckoutBody = Type.Object(
  { interval: Type.Union([Type.Literal("month"), Type.Literal("year")]), from: Type.Optional(ArticleId) },
  { additionalProperties: false },
);
const SuccessQuery = Type.Object({ session_id: Type.String({ pattern: "^cs_[A-Za-z0-9_]{1,250}$" }) });
const EmptyBody = Type.Object({}, { additionalProperties: false });

export async function subscribeRoutes(app: FastifyInstance, deps: AccountDeps): Promise<void> {
  const readerOf = createReaderOf(deps, deps.isStaff);
  const onRequest = rejectCrossSiteForm(deps.publicUrl);

  app.get<{ Querystring: Static<typeof SubscribeQuery> }>(
    "/subscribe",
    { schema: { querystring: SubscribeQuery } },
    async (req, reply) => {
      const { cacheClass } = await readerOf(req, reply);
      const frame = await deps.loadFrame(cacheClass);
      const plan = await billing.getPlan(deps.db);
      const offer = {
        plan,
        currency: frame.settings.currency,
        available: Boolean(deps.billing.stripe),
        signedIn: cacheClass !== "anon",
        fromArticleId: req.query.from,
      };
      if (!reply.hasHeader("cache-control")) reply.header("cache-control", "public, max-age=60");
      return reply.type("text/html; charset=utf-8").send(renderDocument(<SubscribePage frame={frame} offer={offer} />));
    },
  );

  app.post<{ Body: Static<typeof CheckoutBody> }>(
    "/subscribe/checkout",
    { schema: { body: CheckoutBody }, onRequest },
    async (req, reply) => {
      const returnTo = req.body.from ? `/subscribe?from=${req.body.from}` : "/subscribe";
      const member = await requireMember(deps, req, reply, returnTo);
      if (!member) return reply;
      const url = await billing.startCheckout(deps.billing, {
        memberId: member.id,
        email: member.email,
        interval: req.body.interval,
        ...(req.body.from ? { fromArticleId: req.body.from } : {}),
      });
      return reply.header("cache-control", "no-store").redirect(url, 303);
    },
  );

  app.get<{ Querystring: Static<typeof SuccessQuery> }>(
    "/subscribe/success",
    { schema: { querystring: SuccessQuery } },
    async (req, reply) => {
      const member = await requireMember(deps, req, reply, "/account");
      if (!member) return reply;
      const result = await billing.confirmCheckout(deps.billing, {
        sessionId: req.query.session_id,
        memberId: member.id,
      });
      // A fresh claim now, so the very next page already reads as a subscriber's.
      const signedIn = await members.findSignedInMember(deps, req.headers.cookie);
      if (signedIn) reply.header("set-cookie", members.startSession(deps, signedIn.member));
      const frame = await deps.loadFrame(result === "active" ? "subscriber" : "member");
      return sendPersonalPage(reply, { status: 200, body: <CheckoutResultPage frame={frame} result={result} /> });
    },
  );

  app.get("/subscribe/cancelled", async (req, reply) => {
    const { cacheClass } = await readerOf(req, reply);
    return sendPersonalPage(reply, {
      status: 200,
      body: <CheckoutResultPage frame={await deps.loadFrame(cacheClass)} result="cancelled" />,
    });
  });

  app.post<{ Body: Static<typeof EmptyBody> }>(
    "/account/billing",
    { schema: { body: EmptyBody }, onRequest },
    async (req, reply) => {
      const member = await requireMember(deps, req, reply, "/account");
      if (!member) return reply;
      const url = await billing.openPortal(deps.billing, member.id);
      return reply.header("cache-control", "no-store").redirect(url, 303);
    },
  );
}
