/**
 * Whether an offer's link works now and, if not, why: the one rule /subscribe and Checkout act on and the
 * newsroom shows (the API sends the state; the browser only displays it).
 */

export const OFFER_STATES = ["active", "paused", "archived", "other_currency", "expired", "used_up"] as const;
export type OfferState = (typeof OFFER_STATES)[number];

/** What the state depends on: an offer's status, terms and places taken. */
export type OfferStanding = {
  status: "active" | "inactive" | "archived";
  currency: string;
  expiresAt: Date | null;
  maxRedemptions: number | null;
  redeemed: number;
  held: number;
};

/**
 * The first reason the link does not work, in this order: archived, paused, made in a currency the site no longer
 * sells in, past its end, every place taken (redeemed or held at Checkout); else "active".
 */
export function offerStateOf(offer: OfferStanding, input: { now: Date; currency: string }): OfferState {
  if (offer.status === "archived") return "archived";
  if (offer.status === "inactive") return "paused";
  if (offer.currency !== input.currency) return "other_currency";
  if (offer.expiresAt && offer.expiresAt.getTime() <= input.now.getTime()) return "expired";
  if (offer.maxRedemptions !== null && offer.redeemed + offer.held >= offer.maxRedemptions) return "used_up";
  return "active";
}
