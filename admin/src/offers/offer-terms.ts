/** What an offer gives and whether its link works now, in the words the Offers screen shows. */
import { formatMoney } from "../money.js";
import type { Offer, OfferState } from "../types.js";

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

/** The server works out the state (billing's rule, the same /subscribe uses); these are its words. */
export const OFFER_STATE_LABELS: Record<OfferState, string> = {
  active: "Active",
  paused: "Paused",
  archived: "Archived",
  other_currency: "Other currency",
  expired: "Expired",
  used_up: "Used up",
};
