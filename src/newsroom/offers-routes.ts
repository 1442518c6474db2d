/** Offers (/admin/api/offers): admins make, list, rename, pause and archive the discounts shared as links. */
import type { TypeBoxTypeProvider } from "@fastify/type-provider-typebox";
import { type SchemaOptions, Type } from "@sinclair/typebox";
import type { FastifyInstance } from "fastify";
import * as billing from "../billing/index.js";
import * as content from "../content/index.js";
import type { Queryable } from "../db/index.js";
import { actorOf, authorize } from "./api-guard.js";
import { closed, DATE_TIME, IdParams, parseTimeInput, TIME_INPUT } from "./api-schema.js";
import type { NewsroomDeps } from "./newsroom-deps.js";

const literals = <T extends string>(values: readonly T[], options: SchemaOptions = {}) =>
  Type.Union(
    values.map((v) => Type.Literal(v)),
    options,
  );

const OfferCode = Type.String({
  pattern: billing.OFFER_CODE_PATTERN,
  description: "2 to 40 letters, digits, - or _; unique whatever the case",
});
const OfferName = Type.String({ minLength: 1, maxLength: 80 });

/** The discount is fixed once saved (Stripe coupons cannot change): a different discount is a new offer. */
const OfferBody = closed({
  code: OfferCode,
  name: OfferName,
  percentOff: Type.Optional(Type.Integer({ minimum: 1, maximum: 100 })),
  amountOff: Type.Optional(
    Type.Integer({ minimum: 1, maximum: 1_000_000, description: "Minor units (cents) of the site currency" }),
  ),
  duration: literals(billing.OFFER_DURATIONS),
  durationInMonths: Type.Optional(Type.Integer({ minimum: 1, maximum: 36, description: "Only when repeating" })),
  appliesTo: Type.Optional(literals(billing.OFFER_INTERVALS)),
  maxRedemptions: Type.Optional(Type.Union([Type.Integer({ minimum: 1, maximum: 1_000_000 }), Type.Null()])),
  expiresAt: Type.Optional(Type.Union([TIME_INPUT, Type.Null()])),
  isDefault: Type.Optional(Type.Boolean({ description: "Shown on /subscribe when a link names no other offer" })),
});

/** Only what Stripe lets change, and whether the offer is taken up. */
const OfferChanges = closed({
  name: Type.Optional(OfferName),
  status: Type.Optional(literals(["active", "inactive"] as const)),
  isDefault: Type.Optional(Type.Boolean()),
});

const OfferView = closed(
  {
    id: Type.String(),
    code: Type.String(),
    name: Type.String(),
    percentOff: Type.Union([Type.Integer(), Type.Null()]),
    amountOff: Type.Union([Type.Integer(), Type.Null()]),
    currency: Type.String(),
    duration: literals(billing.OFFER_DURATIONS),
    durationInMonths: Type.Union([Type.Integer(), Type.Null()]),
    appliesTo: literals(billing.OFFER_INTERVALS),
    maxRedemptions: Type.Union([Type.Integer(), Type.Null()]),
    redeemed: Type.Integer({ description: "Subscriptions started with the offer" }),
    held: Type.Integer({ description: "Places held by readers at Checkout now" }),
    expiresAt: Type.Union([DATE_TIME, Type.Null()]),
    status: literals(billing.OFFER_STATUSES),
    state: literals(billing.OFFER_STATES, {
      description:
        "Whether the link works now, and if not the first reason why: paused, archived, made in another currency " +
        "than the site's, past its end, or every place redeemed or held at Checkout",
    }),
    isDefault: Type.Boolean(),
    stripeCouponId: Type.Union([Type.String(), Type.Null()]),
    shareUrl: Type.String({ description: "The link to share: /subscribe?offer=CODE" }),
    createdAt: DATE_TIME,
    updatedAt: DATE_TIME,
  },
  { title: "Offer" },
);
const OfferEnvelope = closed({ offer: OfferView });

export async function offersRoutes(app: FastifyInstance, deps: NewsroomDeps): Promise<void> {
  const api = app.withTypeProvider<TypeBoxTypeProvider>();
  /** The time and the site's currency an offer's state is worked out for. */
  // The paywall box names the default offer while it runs: any change to an offer drops every page.
  const offersChanged = () => deps.invalidator.invalidate([content.cacheTags.site]);
  // Each change of an offer writes the edge's purge in its own transaction; its pages are dropped after it commits.
  const offerDeps = {
    ...deps.billing,
    recordChange: (tx: Queryable) => deps.invalidator.record(tx, [content.cacheTags.site]),
  };
  const site = async () => ({ now: deps.clock.now(), currency: await deps.billing.currency() });
  const view = (offer: billing.Offer, at: { now: Date; currency: string }) => ({
    id: offer.id,
    code: offer.code,
    name: offer.name,
    percentOff: offer.percentOff,
    amountOff: offer.amountOff,
    currency: offer.currency,
    duration: offer.duration,
    durationInMonths: offer.durationInMonths,
    appliesTo: offer.appliesTo,
    maxRedemptions: offer.maxRedemptions,
    redeemed: offer.redeemed,
    held: offer.held,
    expiresAt: offer.expiresAt,
    status: offer.status,
    state: billing.offerStateOf(offer, at),
    isDefault: offer.isDefault,
    stripeCouponId: offer.stripeCouponId,
    shareUrl: `${deps.publicUrl}/subscribe?offer=${encodeURIComponent(offer.code)}`,
    createdAt: offer.createdAt,
    updatedAt: offer.updatedAt,
  });

  api.get("/offers", { schema: { response: { 200: closed({ offers: Type.Array(OfferView) }) } } }, async (req) => {
    authorize(actorOf(req), "offers.manage", undefined);
    const at = await site();
    return { offers: (await billing.listOffers(deps.db, at.now)).map((offer) => view(offer, at)) };
  });

  api.post("/offers", { schema: { body: OfferBody, response: { 201: OfferEnvelope } } }, async (req, reply) => {
    authorize(actorOf(req), "offers.manage", undefined);
    const { expiresAt, appliesTo, ...rest } = req.body;
    const offer = await billing.createOffer(offerDeps, {
      ...rest,
      appliesTo: appliesTo ?? "both",
      expiresAt: expiresAt ? parseTimeInput(expiresAt, "expiresAt") : null,
    });
    await offersChanged();
    return reply.code(201).send({ offer: view(offer, await site()) });
  });

  api.get("/offers/:id", { schema: { params: IdParams, response: { 200: OfferEnvelope } } }, async (req) => {
    authorize(actorOf(req), "offers.manage", undefined);
    const at = await site();
    return { offer: view(await billing.getOffer(deps.db, { id: req.params.id, now: at.now }), at) };
  });

  api.patch(
    "/offers/:id",
    { schema: { params: IdParams, body: OfferChanges, response: { 200: OfferEnvelope } } },
    async (req) => {
      authorize(actorOf(req), "offers.manage", undefined);
      const offer = await billing.changeOffer(offerDeps, { id: req.params.id, changes: req.body });
      await offersChanged();
      return { offer: view(offer, await site()) };
    },
  );

  api.post(
    "/offers/:id/archive",
    { schema: { params: IdParams, body: closed({}), response: { 200: OfferEnvelope } } },
    async (req) => {
      authorize(actorOf(req), "offers.manage", undefined);
      const offer = await billing.archiveOffer(offerDeps, req.params.id);
      await offersChanged();
      return { offer: view(offer, await site()) };
    },
  );
}
