/** /subscribe and its way through Stripe Checkout and back; /account/billing opens the Customer Portal. */
import { type Static, Type } from "@sinclair/typebox";
import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import * as billing from "../../billing/index.js";
import * as content from "../../content/index.js";
import * as members from "../../members/index.js";
import { type AccountDeps, rejectCrossSiteForm, requireMember, sendPersonalPage } from "../account/pages.js";
import { createReaderOf } from "../reader.js";
import { renderDocument } from "../serve-page.js";
import { CheckoutResultPage, type ReturnLink, SubscribePage } from "./subscribe-views.js";

const ArticleId = Type.String({ pattern: "^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$" });
/** A shared link's code, checked against the offers when used: a mangled one is "not an offer we know". */
const OfferCode = Type.String({ maxLength: 1000 });
/** Where to return after paying; checked by `safeNextPath`, which drops anything but a path on this site. */
const NextPath = Type.String({ maxLength: 1000 });
/**
 * `from`: the article whose paywall sent the reader here, credited if they subscribe. `next`: that article's
 * path, to return to after paying. `offer`: a shared offer.
 */
const SubscribeQuery = Type.Object({
  from: Type.Optional(ArticleId),
  next: Type.Optional(NextPath),
  offer: Type.Optional(OfferCode),
});
const CheckoutBody = Type.Object(
  {
    interval: Type.Union([Type.Literal("month"), Type.Literal("year")]),
    from: Type.Optional(ArticleId),
    next: Type.Optional(NextPath),
    offer: Type.Optional(OfferCode),
  },
  { additionalProperties: false },
);
const SuccessQuery = Type.Object({
  session_id: Type.String({ pattern: "^cs_[A-Za-z0-9_]{1,250}$" }),
  next: Type.Optional(NextPath),
});
const EmptyBody = Type.Object({}, { additionalProperties: false });

/** The success page's way back: the article the reader paid from, named by its headline, when it is one. */
async function returnLinkOf(deps: AccountDeps, raw: string | undefined): Promise<ReturnLink | undefined> {
  const path = members.safeNextPath(raw);
  if (!path) return undefined;
  const slug = path.split(/[?#]/, 1)[0]?.split("/").at(-1) ?? "";
  const article = slug ? await content.findArticleForReading(deps.db, slug) : undefined;
  return { path, headline: article?.path === path ? article.title : undefined };
}

export async function subscribeRoutes(app: FastifyInstance, deps: AccountDeps): Promise<void> {
  subscribePageRoutes(app, deps);
  checkoutReturnRoutes(app, deps);
  billingPortalRoutes(app, deps);
}

/** The subscribe page, and sending the reader to Checkout with the plan and offer chosen there. */
function subscribePageRoutes(app: FastifyInstance, deps: AccountDeps): void {
  const onRequest = rejectCrossSiteForm(deps.publicUrl);

  app.get<{ Querystring: Static<typeof SubscribeQuery> }>(
    "/subscribe",
    { schema: { querystring: SubscribeQuery } },
    async (req, reply) => {
      const html = renderDocument(await renderSubscribePage(deps, { req, reply, query: req.query }));
      // An offer can run out: a shared page is kept a minute at most.
      if (!reply.hasHeader("cache-control")) reply.header("cache-control", "public, max-age=60");
      return reply.type("text/html; charset=utf-8").send(html);
    },
  );

  app.post<{ Body: Static<typeof CheckoutBody> }>(
    "/subscribe/checkout",
    { schema: { body: CheckoutBody }, onRequest },
    async (req, reply) => {
      const next = members.safeNextPath(req.body.next);
      const back = new URLSearchParams({
        ...(req.body.from ? { from: req.body.from } : {}),
        ...(next ? { next } : {}),
        ...(req.body.offer ? { offer: req.body.offer } : {}),
      }).toString();
      const member = await requireMember(deps, { req, reply, returnTo: back ? `/subscribe?${back}` : "/subscribe" });
      if (!member) return reply;
      let url: string;
      try {
        url = await billing.startCheckout(deps.billing, {
          memberId: member.id,
          email: member.email,
          interval: req.body.interval,
          fromArticleId: req.body.from,
          offerCode: req.body.offer || undefined,
          returnPath: next,
        });
      } catch (err) {
        const refused = billing.offerRefusalOf(err);
        if (!refused) throw err;
        // The offer ran out, ended or was used: the page says so and shows the usual prices.
        const body = await renderSubscribePage(deps, { req, reply, query: { ...req.body, next, refused } });
        return sendPersonalPage(reply, { status: 409, body });
      }
      return reply.header("cache-control", "no-store").redirect(url, 303);
    },
  );
}

/** Checkout's ways back: paid (the reader's claim refreshed at once), or cancelled. */
function checkoutReturnRoutes(app: FastifyInstance, deps: AccountDeps): void {
  const readerOf = createReaderOf(deps, deps.isStaff);

  app.get<{ Querystring: Static<typeof SuccessQuery> }>(
    "/subscribe/success",
    { schema: { querystring: SuccessQuery } },
    async (req, reply) => {
      const member = await requireMember(deps, { req, reply, returnTo: "/account" });
      if (!member) return reply;
      const result = await billing.confirmCheckout(deps.billing, {
        sessionId: req.query.session_id,
        memberId: member.id,
      });
      // A fresh claim now, so the very next page already reads as a subscriber's.
      const signedIn = await members.findSignedInMember(deps, req.headers.cookie);
      if (signedIn) reply.header("set-cookie", members.refreshClaim(deps, signedIn));
      const frame = await deps.loadFrame(result === "active" ? "subscriber" : "member");
      const back = await returnLinkOf(deps, req.query.next);
      return sendPersonalPage(reply, {
        status: 200,
        body: <CheckoutResultPage frame={frame} result={result} back={back} />,
      });
    },
  );

  app.get("/subscribe/cancelled", async (req, reply) => {
    const { cacheClass } = await readerOf(req, reply);
    return sendPersonalPage(reply, {
      status: 200,
      body: <CheckoutResultPage frame={await deps.loadFrame(cacheClass)} result="cancelled" />,
    });
  });
}

/** /account/billing: the member's way to Stripe's Customer Portal. */
function billingPortalRoutes(app: FastifyInstance, deps: AccountDeps): void {
  const onRequest = rejectCrossSiteForm(deps.publicUrl);

  app.post<{ Body: Static<typeof EmptyBody> }>(
    "/account/billing",
    { schema: { body: EmptyBody }, onRequest },
    async (req, reply) => {
      const member = await requireMember(deps, { req, reply, returnTo: "/account" });
      if (!member) return reply;
      const url = await billing.openPortal(deps.billing, member.id);
      return reply.header("cache-control", "no-store").redirect(url, 303);
    },
  );
}

type SubscribePageQuery = {
  from?: string | undefined;
  next?: string | undefined;
  offer?: string | undefined;
  refused?: billing.OfferRefusal;
};

/** The subscribe page; `refused` is an offer that checkout turned down for this reader. */
async function renderSubscribePage(
  deps: AccountDeps,
  { req, reply, query }: { req: FastifyRequest; reply: FastifyReply; query: SubscribePageQuery },
) {
  const { cacheClass } = await createReaderOf(deps, deps.isStaff)(req, reply);
  const frame = await deps.loadFrame(cacheClass);
  const plan = await billing.getPlan(deps.db);
  const currency = frame.settings.currency;
  const lookup: billing.OfferLookup =
    query.refused && query.offer
      ? { kind: "invalid", code: query.offer, problem: query.refused, offer: undefined }
      : await billing.findOfferForReader(deps.db, { code: query.offer, now: deps.clock.now(), currency });
  const offer = {
    plan,
    currency,
    available: Boolean(deps.billing.stripe),
    signedIn: cacheClass !== "anon",
    isStaff: cacheClass === "staff",
    fromArticleId: query.from,
    returnPath: members.safeNextPath(query.next),
    lookup,
  };
  return <SubscribePage frame={frame} offer={offer} />;
}
