import { expect, test } from "vitest";
import { termsOf } from "./offer-terms.js";

const offer = (o: Partial<Parameters<typeof termsOf>[0]>) => ({
  percentOff: null,
  amountOff: null,
  duration: "once" as const,
  durationInMonths: null,
  ...o,
});

test("half off 4.99 for three months is 2.49 a month for three months", () => {
  expect(termsOf(offer({ percentOff: 50, duration: "repeating", durationInMonths: 3 }), 499, "month")).toEqual({
    discounted: 249,
    periods: 3,
  });
});

test("a repeating offer gives a yearly subscriber one discounted year per twelve months, rounded up", () => {
  expect(termsOf(offer({ percentOff: 20, duration: "repeating", durationInMonths: 3 }), 4999, "year")).toEqual({
    discounted: 3999,
    periods: 1,
  });
  expect(termsOf(offer({ percentOff: 20, duration: "repeating", durationInMonths: 13 }), 4999, "year").periods).toBe(2);
});

test("an amount off never takes the price below zero, and forever has no end", () => {
  expect(termsOf(offer({ amountOff: 600, duration: "forever" }), 499, "month")).toEqual({
    discounted: 0,
    periods: null,
  });
  expect(termsOf(offer({ percentOff: 100 }), 499, "month")).toEqual({ discounted: 0, periods: 1 });
});
