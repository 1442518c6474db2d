/**
 * Subscriptions end to end: checkout, the customer portal, webhooks, reconciliation and complimentary access.
 * Every change to a member's billing is written with their new paid access in one transaction, and after it
 * commits the member's tag is invalidated so their sessions pick it up at once.
 */
import { eq, sql } from "drizzle-orm";
import { queryRows, type Tx, withTransaction } from "../db/index.js";
import * as members from "../members/index.js";
import { Conflict, Invalid, NotFound, Unavailable } from "../shared/errors.js";
import { type BillingDeps, requireStripe } from "./deps.js";
import { type BillingChange, type Notice, noticesFor, queueNotice } from "./notices.js";
import { recordRedemption, releaseHold } from "./offer-redemptions.js";
import { paidAccessFrom } from "./paid-access.js";
import {
  customerIdOf,
  getPlan,
  grantOf,
  memberIdOfCustomer,
  type SubscriptionRow,
  subscriptionsOf,
} from "./queries.js";
import { complimentaryGrants, stripeEvents, subscriptions } from "./schema.js";
import { type StripeEvent, type StripeSubscription, verifyWebhook } from "./stripe-client.js";

const UUID_SHAPE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * The success page: reads the checkout from Stripe and applies its subscription through the same path as the
 * webhook, so the reader sees their subscription without waiting for it. Applying twice changes nothing.
 */
export async function confirmCheckout(
  deps: BillingDeps,
  input: { sessionId: string; memberId: string },
): Promise<"active" | "pending"> {
  const stripe = await requireStripe(deps);
  const session = await stripe.checkout.sessions.retrieve(input.sessionId).catch(() => undefined);
  if (!session || session.client_reference_id !== input.memberId) {
    throw new NotFound("CHECKOUT_NOT_FOUND", "We could not find that checkout for your account.");
  }
  const subscriptionId = typeof session.subscription === "string" ? session.subscription : session.subscription?.id;
  if (session.status !== "complete" || !subscriptionId) return "pending";
  const subscription = await stripe.subscriptions.retrieve(subscriptionId);
  await applySubscription(deps, subscription, undefined);
  return "active";
}

export type WebhookResult = "applied" | "duplicate" | "ignored";

/** One delivery from Stripe: verified on the raw body, applied once, recorded with its effect. */
export async function handleWebhook(
  deps: BillingDeps,
  rawBody: Buffer,
  signature: string | undefined,
): Promise<WebhookResult> {
  const stripe = await requireStripe(deps);
  if (!deps.webhookSecret) throw new Unavailable("WEBHOOKS_UNCONFIGURED", "STRIPE_WEBHOOK_SECRET is not set.");
  const checked = verifyWebhook(stripe, {
    rawBody,
    signature: signature ?? "",
    secret: deps.webhookSecret,
    now: deps.clock.now(),
  });
  if (checked.kind === "refused" && checked.reason === "future") {
    throw new Invalid(
      "SIGNATURE_FROM_THE_FUTURE",
      "The Stripe-Signature header is dated more than 5 minutes ahead of this server's clock.",
      {
        property: "Stripe-Signature",
        help: "Check that this server's clock is set right (NTP); Stripe signs with its own",
      },
    );
  }
  if (checked.kind === "refused") {
    throw new Invalid("BAD_SIGNATURE", "The Stripe-Signature header does not match this payload.", {
      property: "Stripe-Signature",
    });
  }
  const { event } = checked;
  const seen = await queryRows(deps.db, sql`SELECT 1 FROM stripe_events WHERE id = ${event.id}`);
  if (seen.length > 0) return "duplicate";
  if (event.type === "checkout.session.expired") return releaseExpiredCheckout(deps, event);
  const subscriptionId = subscriptionIdOf(event);
  // The subscription is read from Stripe now, not taken from the event: events arrive out of order, and only
  // the current state is safe to apply. If Stripe cannot be reached, nothing is recorded and Stripe retries.
  const subscription = subscriptionId ? await stripe.subscriptions.retrieve(subscriptionId) : undefined;
  const applied = await applySubscription(deps, subscription, { id: event.id, type: event.type });
  if (applied === "duplicate") return "duplicate";
  return subscription ? "applied" : "ignored";
}

/** A Checkout left unpaid until it expired gives back the offer place it held, with the event recorded. */
async function releaseExpiredCheckout(deps: BillingDeps, event: StripeEvent): Promise<WebhookResult> {
  const sessionId = (event.data.object as { id?: unknown }).id;
  return withTransaction(deps.db, async (tx) => {
    const inserted = await tx
      .insert(stripeEvents)
      .values({ id: event.id, type: event.type, receivedAt: deps.clock.now() })
      .onConflictDoNothing()
      .returning({ id: stripeEvents.id });
    if (inserted.length === 0) return "duplicate";
    if (typeof sessionId === "string") await releaseHold(tx, { sessionId });
    return "applied";
  });
}

function subscriptionIdOf(event: StripeEvent): string | undefined {
  const object = event.data.object as unknown as Record<string, unknown>;
  const idOf = (v: unknown) => (typeof v === "string" ? v : (v as { id?: string } | null)?.id);
  switch (event.type) {
    case "checkout.session.completed":
      return idOf(object.subscription);
    case "customer.subscription.created":
    case "customer.subscription.updated":
    case "customer.subscription.deleted":
      return idOf(object.id);
    case "invoice.paid":
    case "invoice.payment_failed": {
      const parent = object.parent as { subscription_details?: { subscription?: unknown } } | null;
      return idOf(parent?.subscription_details?.subscription);
    }
    default:
      return undefined;
  }
}

type Applied = BillingChange & { notices: Notice[]; fromArticleId: string | undefined };

/**
 * Records the event (if any) and the subscription's current state, and the member's new paid access, in one
 * transaction; then invalidates the member and sends the email the change calls for.
 */
async function applySubscription(
  deps: BillingDeps,
  subscription: StripeSubscription | undefined,
  event: { id: string; type: string } | undefined,
): Promise<Applied | "duplicate" | "ignored"> {
  const now = deps.clock.now();
  // Read before the transaction, which may then queue an email that needs it.
  const brand = await deps.brand();
  const result = await withTransaction(deps.db, async (tx): Promise<Applied | "duplicate" | "ignored"> => {
    if (event) {
      const inserted = await tx
        .insert(stripeEvents)
        .values({ id: event.id, type: event.type, receivedAt: now })
        .onConflictDoNothing()
        .returning({ id: stripeEvents.id });
      if (inserted.length === 0) return "duplicate";
    }
    if (!subscription) return "ignored";
    const memberId = await memberOfSubscription(tx, subscription);
    if (!memberId) return "ignored";
    // One member's billing changes one at a time, so two deliveries cannot interleave their reads and writes.
    await tx.execute(sql`SELECT pg_advisory_xact_lock(hashtextextended(${`billing:${memberId}`}, 0))`);
    const [before] = await tx
      .select()
      .from(subscriptions)
      .where(eq(subscriptions.stripeSubscriptionId, subscription.id));
    const after = rowFor(subscription, memberId, before, now);
    await tx
      .insert(subscriptions)
      .values(after)
      .onConflictDoUpdate({ target: subscriptions.stripeSubscriptionId, set: after });
    if (event) {
      await tx
        .update(stripeEvents)
        .set({ memberId, stripeSubscriptionId: subscription.id })
        .where(eq(stripeEvents.id, event.id));
    }
    // A place in an offer is taken when the subscription it discounts actually starts, not at Checkout.
    const offerId = subscription.metadata?.offer_id;
    if (offerId && ["active", "trialing", "past_due"].includes(subscription.status)) {
      await recordRedemption(tx, { offerId, memberId, subscriptionId: subscription.id, now });
    }
    await refreshPaidAccess(tx, memberId);
    const change = { memberId, before, after };
    const notices = noticesFor(change, event?.type);
    for (const notice of notices) {
      await queueNotice(deps, tx, { change, notice, brand, key: event && `stripe:${event.id}:${notice}` });
    }
    return { ...change, notices, fromArticleId: subscription.metadata?.from_article };
  });
  if (typeof result === "string") return result;
  await deps.invalidate([members.memberTag(result.memberId)]);
  if (result.notices.includes("started") && result.fromArticleId) deps.subscriptionStartedFrom(result.fromArticleId);
  return result;
}

async function memberOfSubscription(tx: Tx, subscription: StripeSubscription): Promise<string | undefined> {
  const fromMetadata = subscription.metadata?.member_id;
  // Checked by shape, not by a failed cast: an error inside the transaction would abort it.
  if (fromMetadata && UUID_SHAPE.test(fromMetadata)) {
    const exists = await queryRows(tx, sql`SELECT 1 FROM members WHERE id = ${fromMetadata}::uuid`);
    if (exists.length > 0) return fromMetadata;
  }
  const customer = typeof subscription.customer === "string" ? subscription.customer : subscription.customer.id;
  return memberIdOfCustomer(tx, customer);
}

function rowFor(
  subscription: StripeSubscription,
  memberId: string,
  before: SubscriptionRow | undefined,
  now: Date,
): SubscriptionRow {
  const item = subscription.items.data[0];
  const seconds = (s: number | null | undefined) => (s ? new Date(s * 1000) : null);
  const pastDue = subscription.status === "past_due";
  return {
    stripeSubscriptionId: subscription.id,
    memberId,
    status: subscription.status,
    interval: item?.price.recurring?.interval ?? null,
    amount: item?.price.unit_amount ?? null,
    currency: item?.price.currency?.toUpperCase() ?? null,
    currentPeriodStart: seconds(item?.current_period_start),
    currentPeriodEnd: seconds(item?.current_period_end),
    cancelAtPeriodEnd: subscription.cancel_at_period_end,
    // The grace period runs from the first time this run of failed payments was seen.
    pastDueSince: pastDue ? (before?.pastDueSince ?? now) : null,
    trialStarted: subscription.trial_start !== null || (before?.trialStarted ?? false),
    endedAt: seconds(subscription.ended_at),
    createdAt: before?.createdAt ?? seconds(subscription.created) ?? now,
    updatedAt: now,
  };
}

/** Works out the member's paid access from everything billing knows and records it on the member. */
async function refreshPaidAccess(tx: Tx, memberId: string): Promise<void> {
  const plan = await getPlan(tx);
  const access = paidAccessFrom({
    subscriptions: await subscriptionsOf(tx, memberId),
    grant: await grantOf(tx, memberId),
    graceDays: plan.graceDays,
  });
  await members.setPaidAccess(tx, memberId, access);
}

/** The Stripe Customer Portal, where a subscriber changes their card or cancels. */
export async function openPortal(deps: BillingDeps, memberId: string): Promise<string> {
  const stripe = await requireStripe(deps);
  const customer = await customerIdOf(deps.db, memberId);
  if (!customer) throw new NotFound("NO_BILLING_ACCOUNT", "You have no billing account yet.");
  const session = await stripe.billingPortal.sessions.create({ customer, return_url: `${deps.publicUrl}/account` });
  return session.url;
}

/** Before an account is deleted: its live subscriptions are cancelled at Stripe, so nobody is charged again. */
export async function cancelSubscriptionsOf(deps: BillingDeps, memberId: string): Promise<void> {
  const live = (await subscriptionsOf(deps.db, memberId)).filter((s) => s.status !== "canceled");
  if (live.length === 0) return;
  const stripe = await requireStripe(deps);
  for (const s of live) await stripe.subscriptions.cancel(s.stripeSubscriptionId);
}

/**
 * An admin ends a reader's subscription at Stripe: at the end of the period already paid, or now. The answer
 * Stripe gives is applied at once, as its webhook would be (which then changes nothing).
 */
export async function cancelSubscriptionFor(
  deps: BillingDeps,
  input: { memberId: string; atPeriodEnd: boolean },
): Promise<void> {
  const live = (await subscriptionsOf(deps.db, input.memberId)).filter((s) => s.status !== "canceled");
  if (live.length === 0) throw new Conflict("NO_SUBSCRIPTION", "This reader has no subscription to cancel");
  const stripe = await requireStripe(deps);
  for (const s of live) {
    const ended = input.atPeriodEnd
      ? await stripe.subscriptions.update(s.stripeSubscriptionId, { cancel_at_period_end: true })
      : await stripe.subscriptions.cancel(s.stripeSubscriptionId);
    await applySubscription(deps, ended, undefined);
  }
}

/** Re-reads every subscription from Stripe and applies it: after an outage, or to check nothing drifted. */
export async function reconcile(deps: BillingDeps): Promise<{ seen: number; applied: number }> {
  const stripe = await requireStripe(deps);
  let seen = 0;
  let applied = 0;
  for await (const subscription of stripe.subscriptions.list({ status: "all", limit: 100 })) {
    seen++;
    if (typeof (await applySubscription(deps, subscription, undefined)) !== "string") applied++;
  }
  return { seen, applied };
}

/** Complimentary access for a reader, until a date or open-ended; granting again replaces the grant. */
export async function grantComplimentary(
  deps: BillingDeps,
  input: { memberId: string; until: Date | null; note?: string },
): Promise<void> {
  await withTransaction(deps.db, async (tx) => {
    const exists = await queryRows(tx, sql`SELECT 1 FROM members WHERE id = ${input.memberId}`);
    if (exists.length === 0) throw new NotFound("MEMBER_NOT_FOUND", "There is no reader with that id.");
    const grant = { memberId: input.memberId, until: input.until, note: input.note ?? "", grantedAt: deps.clock.now() };
    await tx
      .insert(complimentaryGrants)
      .values(grant)
      .onConflictDoUpdate({ target: complimentaryGrants.memberId, set: grant });
    await refreshPaidAccess(tx, input.memberId);
  });
  await deps.invalidate([members.memberTag(input.memberId)]);
}

export async function endComplimentary(deps: BillingDeps, memberId: string): Promise<void> {
  await withTransaction(deps.db, async (tx) => {
    await tx.delete(complimentaryGrants).where(eq(complimentaryGrants.memberId, memberId));
    await refreshPaidAccess(tx, memberId);
  });
  await deps.invalidate([members.memberTag(memberId)]);
}

/** What the account page shows about a member's subscription. */
export type SubscriptionSummary = {
  status: string;
  interval: string | null;
  currentPeriodEnd: Date | null;
  cancelAtPeriodEnd: boolean;
  hasBillingAccount: boolean;
  complimentaryUntil: Date | null | undefined;
};

export async function subscriptionSummary(
  deps: Pick<BillingDeps, "db">,
  memberId: string,
): Promise<SubscriptionSummary | undefined> {
  const subs = await subscriptionsOf(deps.db, memberId);
  const latest = subs.sort((a, b) => b.updatedAt.getTime() - a.updatedAt.getTime())[0];
  const grant = await grantOf(deps.db, memberId);
  if (!latest && !grant) return undefined;
  return {
    status: latest?.status ?? "complimentary",
    interval: latest?.interval ?? null,
    currentPeriodEnd: latest?.currentPeriodEnd ?? null,
    cancelAtPeriodEnd: latest?.cancelAtPeriodEnd ?? false,
    hasBillingAccount: Boolean(await customerIdOf(deps.db, memberId)),
    complimentaryUntil: grant ? grant.until : undefined,
  };
}
