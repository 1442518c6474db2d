/** What the paper charges, in words: the plan's price and what an offer makes of it (/subscribe, the paywall). */
import { appliesTo, type Offer, type Plan, termsOf } from "../../billing/index.js";
import { formatMoney } from "./format.js";

/** What an offer makes of one plan's price: shown on its card, and its code sent on to Checkout. */
export type Deal = { code: string; price: string; was: string; terms: string };

const PER = { month: "month", year: "year" } as const;

export function dealFor(offer: Offer, amount: number, interval: "month" | "year", price: (n: number) => string): Deal {
  const { discounted, periods } = termsOf(offer, amount, interval);
  const per = PER[interval];
  const now = price(discounted);
  const was = price(amount);
  const terms =
    periods === null
      ? `${now}/${per} instead of ${was}, for as long as you subscribe`
      : periods === 1
        ? `${now} for your first ${per}, then ${was}/${per}`
        : `${now}/${per} for ${periods} ${per}s, then ${was}`;
  return { code: offer.code, price: now, was, terms };
}

/** The plan and the offer every new reader gets, as the site's pages show them; none without Stripe. */
export type SubscriptionPrices = { plan: Plan; offer: Offer | undefined; currency: string };

/** The paywall's line: "€4.99/month", or with the default offer "€1.00 for your first month, then €4.99/month". */
export function paywallPriceOf(prices: SubscriptionPrices, language: string): string {
  const { plan, offer } = prices;
  const price = (amount: number) => formatMoney(amount, prices.currency, language);
  const monthly = `${price(plan.monthlyAmount)}/month`;
  if (!offer) return monthly;
  if (appliesTo(offer, "month")) return dealFor(offer, plan.monthlyAmount, "month", price).terms;
  return plan.yearlyAmount
    ? `${monthly}; on the yearly plan, ${dealFor(offer, plan.yearlyAmount, "year", price).terms}`
    : monthly;
}
