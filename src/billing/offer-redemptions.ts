/**
 * Places in a limited offer. Starting Checkout holds one, under a lock on the offer's row, so however many
 * readers start at once no more places are held or redeemed than the limit; the subscription that Checkout
 * starts turns the hold into a redemption in the same transaction that records the subscription.
 */
import { and, eq, sql } from "drizzle-orm";
import { type Db, queryRows, type Tx, withTransaction } from "../db/index.js";
import { Conflict, Invalid } from "../shared/errors.js";
import { appliesTo, getOffer, type Offer, type OfferProblem, problemWith } from "./offers.js";
import { offerRedemptions } from "./schema.js";

/** How long Checkout stays open for an offer (Stripe allows 30 minutes to 24 hours). */
export const OFFER_CHECKOUT_MS = 35 * 60_000;
/** A hold outlives its Checkout by this much, for the webhook or the success page to redeem it. */
const HOLD_MARGIN_MS = 60 * 60_000;

export type OfferRefusal = OfferProblem;

const REFUSALS: Record<OfferRefusal, [code: string, message: string]> = {
  unknown: ["OFFER_UNKNOWN", "There is no offer with that code."],
  expired: ["OFFER_EXPIRED", "This offer has ended."],
  exhausted: ["OFFER_EXHAUSTED", "Every place in this offer has been taken."],
  ended: ["OFFER_ENDED", "This offer is no longer available."],
  used: ["OFFER_ALREADY_USED", "You have already used this offer."],
};

/** The refusal an error from `holdOfferPlace` stands for, if it is one. */
export function offerRefusalOf(err: unknown): OfferRefusal | undefined {
  const code = (err as { code?: unknown } | null)?.code;
  return (Object.keys(REFUSALS) as OfferRefusal[]).find((r) => REFUSALS[r][0] === code);
}

function refuse(refusal: OfferRefusal): Conflict {
  const [code, message] = REFUSALS[refusal];
  return new Conflict(code, message, {
    property: "offer",
    help: "Subscribe at the usual price, or use another offer.",
  });
}

export type HeldPlace = {
  offer: Offer;
  holdId: string;
  /** Checkout's end; the hold lasts a little longer. */
  checkoutExpiresAt: Date;
  /** This member's earlier Checkout for the same offer, which the new one replaces. */
  replacedSessionId: string | null;
};

/**
 * Holds a place in the offer for this member while they are at Checkout. A member who starts again keeps their
 * one hold (their earlier Checkout is replaced), so nobody takes two places.
 */
export async function holdOfferPlace(
  db: Db,
  input: { code: string; memberId: string; interval: "month" | "year"; now: Date; currency: string },
): Promise<HeldPlace> {
  const { now } = input;
  return withTransaction(db, async (tx) => {
    // Every hold and redemption of this offer waits here for the one before it to commit.
    const [locked] = await queryRows<{ id: string }>(
      tx,
      sql`SELECT id FROM offers WHERE lower(code) = lower(${input.code}) FOR UPDATE`,
    );
    if (!locked) throw refuse("unknown");
    const offer = await getOffer(tx, { id: locked.id, now });
    if (!appliesTo(offer, input.interval)) {
      throw new Invalid("OFFER_NOT_FOR_INTERVAL", `This offer is for ${offer.appliesTo}ly subscriptions only.`, {
        property: "interval",
      });
    }
    const mine = await tx
      .select()
      .from(offerRedemptions)
      .where(and(eq(offerRedemptions.offerId, offer.id), eq(offerRedemptions.memberId, input.memberId)));
    if (mine.some((r) => r.status === "redeemed")) throw refuse("used");
    const own = mine.find((r) => r.status === "reserved" && r.heldUntil && r.heldUntil > now);
    // The member's own hold is theirs to reuse: it does not count against them.
    const problem = problemWith(own ? { ...offer, held: offer.held - 1 } : offer, input);
    if (problem) throw refuse(problem);
    const checkoutExpiresAt = new Date(now.getTime() + OFFER_CHECKOUT_MS);
    const heldUntil = new Date(checkoutExpiresAt.getTime() + HOLD_MARGIN_MS);
    if (own) {
      await tx
        .update(offerRedemptions)
        .set({ heldUntil, checkoutSessionId: null })
        .where(eq(offerRedemptions.id, own.id));
      return { offer, holdId: own.id, checkoutExpiresAt, replacedSessionId: own.checkoutSessionId };
    }
    // A lapsed hold of this member's is done with.
    await tx
      .delete(offerRedemptions)
      .where(
        and(
          eq(offerRedemptions.offerId, offer.id),
          eq(offerRedemptions.memberId, input.memberId),
          eq(offerRedemptions.status, "reserved"),
        ),
      );
    const [hold] = await tx
      .insert(offerRedemptions)
      .values({ offerId: offer.id, memberId: input.memberId, status: "reserved", heldUntil, createdAt: now })
      .returning({ id: offerRedemptions.id });
    if (!hold) throw new Error("the offer hold was not written");
    return { offer, holdId: hold.id, checkoutExpiresAt, replacedSessionId: null };
  });
}

export async function attachCheckoutSession(db: Db, input: { holdId: string; sessionId: string }): Promise<void> {
  await db
    .update(offerRedemptions)
    .set({ checkoutSessionId: input.sessionId })
    .where(and(eq(offerRedemptions.id, input.holdId), eq(offerRedemptions.status, "reserved")));
}

/** Gives a held place back: Checkout could not be opened, or Stripe says it expired unpaid. */
export async function releaseHold(db: Db | Tx, by: { holdId: string } | { sessionId: string }): Promise<void> {
  await db
    .delete(offerRedemptions)
    .where(
      and(
        eq(offerRedemptions.status, "reserved"),
        "holdId" in by ? eq(offerRedemptions.id, by.holdId) : eq(offerRedemptions.checkoutSessionId, by.sessionId),
      ),
    );
}

/**
 * Records that a subscription started with the offer: the member's hold becomes the redemption. Runs inside the
 * transaction that records the subscription; a second call for the same subscription changes nothing. Without a
 * hold (it lapsed, or the subscription was made elsewhere) the redemption is still recorded, as it happened.
 */
export async function recordRedemption(
  tx: Tx,
  input: { offerId: string; memberId: string; subscriptionId: string; now: Date },
): Promise<void> {
  const [locked] = await queryRows<{ id: string }>(
    tx,
    sql`SELECT id FROM offers WHERE id::text = ${input.offerId} FOR UPDATE`,
  );
  if (!locked) return;
  const done = await tx
    .select({ id: offerRedemptions.id })
    .from(offerRedemptions)
    .where(eq(offerRedemptions.stripeSubscriptionId, input.subscriptionId));
  if (done.length > 0) return;
  const redeemed = {
    status: "redeemed" as const,
    stripeSubscriptionId: input.subscriptionId,
    redeemedAt: input.now,
    heldUntil: null,
  };
  const [hold] = await tx
    .select({ id: offerRedemptions.id })
    .from(offerRedemptions)
    .where(
      and(
        eq(offerRedemptions.offerId, locked.id),
        eq(offerRedemptions.memberId, input.memberId),
        eq(offerRedemptions.status, "reserved"),
      ),
    )
    .orderBy(sql`${offerRedemptions.heldUntil} DESC`)
    .limit(1);
  if (hold) await tx.update(offerRedemptions).set(redeemed).where(eq(offerRedemptions.id, hold.id));
  else {
    await tx
      .insert(offerRedemptions)
      .values({ offerId: locked.id, memberId: input.memberId, createdAt: input.now, ...redeemed });
  }
}
