/** Starting Stripe Checkout for the plan, with an offer's coupon when the reader came with one. */
import { eq } from "drizzle-orm";
import * as members from "../members/index.js";
import { Conflict, Invalid } from "../shared/errors.js";
import { type BillingDeps, type Interval, requireStripe } from "./deps.js";
import { attachCheckoutSession, type HeldPlace, holdOfferPlace, releaseHold } from "./offer-redemptions.js";
import { ensureCoupon } from "./offers.js";
import { customerIdOf, getPlan, subscriptionsOf } from "./queries.js";
import { billingCustomers, billingPlan } from "./schema.js";
import type { StripeClient } from "./stripe-client.js";

/** The plan's product and prices at Stripe, created the first time they are needed. */
async function ensureStripePrices(deps: BillingDeps): Promise<{ month: string; year: string | undefined }> {
  const stripe = await requireStripe(deps);
  const plan = await getPlan(deps.db);
  const currency = (await deps.currency()).toLowerCase();
  const productId =
    plan.stripeProductId ?? (await stripe.products.create({ name: plan.name, description: plan.includes })).id;
  const priceFor = async (interval: Interval, amount: number) =>
    (
      await stripe.prices.create({
        product: productId,
        currency,
        unit_amount: amount,
        recurring: { interval },
      })
    ).id;
  const month = plan.stripeMonthlyPriceId ?? (await priceFor("month", plan.monthlyAmount));
  const year = plan.yearlyAmount
    ? (plan.stripeYearlyPriceId ?? (await priceFor("year", plan.yearlyAmount)))
    : undefined;
  await deps.db
    .update(billingPlan)
    .set({ stripeProductId: productId, stripeMonthlyPriceId: month, stripeYearlyPriceId: year ?? null })
    .where(eq(billingPlan.id, 1));
  return { month, year };
}

export type CheckoutInput = {
  memberId: string;
  email: string;
  interval: Interval;
  fromArticleId?: string | undefined;
  /** The offer's code, as the reader's link gave it. */
  offerCode?: string | undefined;
  /** The page to return to after paying (the article whose paywall sent them): a path on this site only. */
  returnPath?: string | undefined;
};

/** Where Stripe sends the reader after paying; a return path that is not a same-site path is left out. */
function successUrlOf(publicUrl: string, returnPath: string | undefined): string {
  const next = members.safeNextPath(returnPath);
  const back = next ? `&next=${encodeURIComponent(next)}` : "";
  return `${publicUrl}/subscribe/success?session_id={CHECKOUT_SESSION_ID}${back}`;
}

/**
 * The Checkout page to send the member to. With an offer, a place in it is held first (refused with an
 * OFFER_* error if none is left, it has ended or the member used it) and Checkout closes when the hold would.
 */
export async function startCheckout(deps: BillingDeps, input: CheckoutInput): Promise<string> {
  const stripe = await requireStripe(deps);
  const subs = await subscriptionsOf(deps.db, input.memberId);
  if (subs.some((s) => ["active", "trialing", "past_due"].includes(s.status))) {
    throw new Conflict("ALREADY_SUBSCRIBED", "You already have a subscription.", {
      help: "Manage it from your account page.",
    });
  }
  const prices = await ensureStripePrices(deps);
  const price = input.interval === "year" ? prices.year : prices.month;
  if (!price) throw new Invalid("NO_YEARLY_PRICE", "This paper sells monthly subscriptions only.");
  const plan = await getPlan(deps.db);
  const customer = await ensureCustomer(deps, stripe, input.memberId, input.email);
  const place: HeldPlace | undefined = input.offerCode
    ? await holdOfferPlace(deps.db, {
        code: input.offerCode,
        memberId: input.memberId,
        interval: input.interval,
        now: deps.clock.now(),
        currency: await deps.currency(),
      })
    : undefined;
  try {
    const coupon = place && (await ensureCoupon({ db: deps.db, stripe }, place.offer));
    const metadata = {
      member_id: input.memberId,
      ...(input.fromArticleId ? { from_article: input.fromArticleId } : {}),
      ...(place ? { offer_id: place.offer.id } : {}),
    };
    const session = await stripe.checkout.sessions.create({
      mode: "subscription",
      customer,
      client_reference_id: input.memberId,
      line_items: [{ price, quantity: 1 }],
      subscription_data: { metadata, ...(plan.trialDays > 0 ? { trial_period_days: plan.trialDays } : {}) },
      metadata,
      ...(place && coupon
        ? { discounts: [{ coupon }], expires_at: Math.floor(place.checkoutExpiresAt.getTime() / 1000) }
        : {}),
      success_url: successUrlOf(deps.publicUrl, input.returnPath),
      cancel_url: `${deps.publicUrl}/subscribe/cancelled`,
    });
    if (!session.url) throw new Error("Stripe returned a checkout session without a URL");
    if (place) {
      await attachCheckoutSession(deps.db, { holdId: place.holdId, sessionId: session.id });
      // The member's earlier Checkout for this offer must not also be paid with the one place they hold.
      if (place.replacedSessionId) {
        await stripe.checkout.sessions.expire(place.replacedSessionId).catch((err: unknown) => {
          deps.log.error({ err, session: place.replacedSessionId }, "replaced checkout session not expired");
        });
      }
    }
    return session.url;
  } catch (err) {
    if (place && !place.replacedSessionId) await releaseHold(deps.db, { holdId: place.holdId });
    throw err;
  }
}

async function ensureCustomer(deps: BillingDeps, stripe: StripeClient, memberId: string, email: string) {
  const existing = await customerIdOf(deps.db, memberId);
  if (existing) return existing;
  const customer = await stripe.customers.create({ email, metadata: { member_id: memberId } });
  await deps.db.insert(billingCustomers).values({ memberId, stripeCustomerId: customer.id }).onConflictDoNothing();
  return (await customerIdOf(deps.db, memberId)) ?? customer.id;
}
