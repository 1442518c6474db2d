/** What an offer does to a price: pure, for the subscribe page and for checking an offer against the plan. */

export type OfferDiscount = {
  percentOff: number | null;
  amountOff: number | null;
  duration: "once" | "repeating" | "forever";
  durationInMonths: number | null;
};

export type OfferTerms = {
  /** Minor units charged per billing period while the offer lasts. */
  discounted: number;
  /** How many billing periods are discounted; null: every one (forever). */
  periods: number | null;
};

/**
 * The price for one billing period with the discount, as Stripe works it out: a percentage discount is rounded
 * to the nearest cent (50% of 4.99 takes 2.50 off), an amount off never takes the price below zero. A repeating
 * offer discounts every invoice within its months, so a yearly subscriber gets one discounted year per twelve.
 */
export function termsOf(offer: OfferDiscount, amount: number, interval: "month" | "year"): OfferTerms {
  const off = offer.percentOff !== null ? Math.round((amount * offer.percentOff) / 100) : (offer.amountOff ?? 0);
  const discounted = Math.max(0, amount - off);
  const months = interval === "year" ? 12 : 1;
  const periods =
    offer.duration === "forever"
      ? null
      : offer.duration === "once"
        ? 1
        : Math.max(1, Math.ceil((offer.durationInMonths ?? 1) / months));
  return { discounted, periods };
}
