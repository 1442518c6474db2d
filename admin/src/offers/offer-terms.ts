/** What an offer gives and whether its link works now, in the words the Offers screen shows. */
import { formatMoney } from "../money.js";
import type { Offer } from "../types.js";

/** "50% off for 3 months", "€2 off forever", "25% off the first payment". */
export function discountText(offer: Offer): string {
  const off =
    offer.percentOff !== null
      ? `${offer.percentOff}% off`
      : `${formatMoney(offer.amountOff ?? 0, offer.currency, { whole: true })} off`;
  if (offer.duration === "forever") return `${off} forever`;
  if (offer.duration === "once") return `${off} the first payment`;
  const months = offer.durationInMonths ?? 1;
  return `${off} for ${months} ${months === 1 ? "month" : "months"}`;
}

export const APPLIES_TO_LABELS: Record<Offer["appliesTo"], string> = {
  both: "Monthly and yearly plans",
  month: "The monthly plan only",
  year: "The yearly plan only",
};

export const OFFER_STATES = ["active", "paused", "expired", "used_up", "archived"] as const;
export type OfferState = (typeof OFFER_STATES)[number];
export const OFFER_STATE_LABELS: Record<OfferState, string> = {
  active: "Active",
  paused: "Paused",
  expired: "Expired",
  used_up: "Used up",
  archived: "Archived",
};

/** Whether the link works now, and if not why: the same order of reasons /subscribe uses. */
export function offerStateOf(offer: Offer, now = Date.now()): OfferState {
  if (offer.status === "archived") return "archived";
  if (offer.status === "inactive") return "paused";
  if (offer.expiresAt && new Date(offer.expiresAt).getTime() <= now) return "expired";
  if (offer.maxRedemptions !== null && offer.redeemed + offer.held >= offer.maxRedemptions) return "used_up";
  return "active";
}
