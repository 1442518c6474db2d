import { expect, test } from "vitest";
import type { Offer, Plan } from "../../billing/index.js";
import { paywallPriceOf } from "./price-terms.js";

const at = new Date("2031-05-06T10:00:00Z");
const plan = (yearlyAmount: number | null): Plan => ({
  id: 1,
  name: "Digital access",
  includes: "Everything.",
  monthlyAmount: 900,
  yearlyAmount,
  trialDays: 0,
  graceDays: 7,
  stripeProductId: null,
  stripeMonthlyPriceId: null,
  stripeYearlyPriceId: null,
  updatedAt: at,
});
const offer = (o: Partial<Offer>): Offer => ({
  id: "00000000-0000-4000-8000-000000000001",
  code: "WELCOME",
  name: "Welcome",
  percentOff: null,
  amountOff: 800,
  currency: "EUR",
  duration: "once",
  durationInMonths: null,
  appliesTo: "both",
  maxRedemptions: null,
  expiresAt: null,
  status: "active",
  isDefault: true,
  stripeCouponId: null,
  createdAt: at,
  updatedAt: at,
  redeemed: 0,
  held: 0,
  ...o,
});

test("the plan's monthly price alone when no offer runs", () => {
  expect(paywallPriceOf({ plan: plan(9000), offer: undefined, currency: "EUR" }, "en")).toBe("€9.00/month");
});

test("an offer for every new reader is named with what follows it", () => {
  expect(paywallPriceOf({ plan: plan(9000), offer: offer({}), currency: "EUR" }, "en")).toBe(
    "€1.00 for your first month, then €9.00/month",
  );
  const forever = offer({ amountOff: null, percentOff: 50, duration: "forever" });
  expect(paywallPriceOf({ plan: plan(9000), offer: forever, currency: "EUR" }, "en")).toBe(
    "€4.50/month instead of €9.00, for as long as you subscribe",
  );
});

test("an offer on the yearly plan only is named after the monthly price; with no yearly price it is not named", () => {
  const yearly = offer({ amountOff: 2000, appliesTo: "year" });
  expect(paywallPriceOf({ plan: plan(9000), offer: yearly, currency: "EUR" }, "en")).toBe(
    "€9.00/month; on the yearly plan, €70.00 for your first year, then €90.00/year",
  );
  expect(paywallPriceOf({ plan: plan(null), offer: yearly, currency: "EUR" }, "en")).toBe("€9.00/month");
});
