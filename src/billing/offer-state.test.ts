import { describe, expect, test } from "vitest";
import { type OfferStanding, offerStateOf } from "./offer-state.js";

const now = new Date("2031-05-06T10:00:00Z");
const site = { now, currency: "eur" };
const offer = (changes: Partial<OfferStanding> = {}): OfferStanding => ({
  status: "active",
  currency: "eur",
  expiresAt: null,
  maxRedemptions: null,
  redeemed: 0,
  held: 0,
  ...changes,
});

describe("an offer's state", () => {
  test("an active offer with places left and no end in sight is active", () => {
    expect(offerStateOf(offer({ maxRedemptions: 3, redeemed: 1, held: 1 }), site)).toBe("active");
    expect(offerStateOf(offer({ expiresAt: new Date(now.getTime() + 1) }), site)).toBe("active");
  });

  test("a paused offer is paused and an archived one archived, whatever else holds", () => {
    const over = { expiresAt: new Date(now.getTime() - 1), maxRedemptions: 1, redeemed: 1 };
    expect(offerStateOf(offer({ status: "inactive", ...over }), site)).toBe("paused");
    expect(offerStateOf(offer({ status: "archived", ...over }), site)).toBe("archived");
  });

  test("an offer made in another currency than the site's now is not usable", () => {
    expect(offerStateOf(offer({ currency: "usd" }), site)).toBe("other_currency");
  });

  test("an offer is expired from the instant of its end", () => {
    expect(offerStateOf(offer({ expiresAt: now }), site)).toBe("expired");
  });

  test("an offer is used up when redeemed and held places reach its limit", () => {
    expect(offerStateOf(offer({ maxRedemptions: 2, redeemed: 2 }), site)).toBe("used_up");
    expect(offerStateOf(offer({ maxRedemptions: 2, redeemed: 1, held: 1 }), site)).toBe("used_up");
  });

  test("an expired offer that is also used up says expired, as /subscribe does", () => {
    expect(offerStateOf(offer({ expiresAt: now, maxRedemptions: 1, redeemed: 1 }), site)).toBe("expired");
  });
});
