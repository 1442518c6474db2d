import { describe, expect, test } from "vitest";
import type { AccessLevel } from "../content/index.js";
import { decideAccess, type MeterTally, meteredOutcome, outcomeKey, type Reader } from "./decide-access.js";

const anonymous = { kind: "anonymous" } as const;
const member = { kind: "member", isSubscriber: false } as const;
const subscriber = { kind: "member", isSubscriber: true } as const;
const staff = { kind: "staff" } as const;
const article = (accessLevel: AccessLevel, isMetered = false) => ({ accessLevel, isMetered, hasGatedPart: true });

describe("decideAccess", () => {
  test("levels against readers, before any meter", () => {
    const readers: [string, Reader][] = [
      ["anonymous", anonymous],
      ["member", member],
      ["subscriber", subscriber],
      ["staff", staff],
    ];
    const levels: [string, ReturnType<typeof article>][] = [
      ["public", article("public")],
      ["registered", article("registered")],
      ["registered+metered", article("registered", true)],
      ["paid", article("paid")],
      ["paid+metered", article("paid", true)],
    ];
    const table = Object.fromEntries(
      readers.map(([r, reader]) => [
        r,
        Object.fromEntries(levels.map(([l, a]) => [l, outcomeName(decideAccess(reader, a))])),
      ]),
    );
    expect(table).toEqual({
      anonymous: {
        public: "full",
        registered: "preview/register",
        "registered+metered": "metered/register",
        paid: "preview/subscribe",
        "paid+metered": "metered/subscribe",
      },
      member: {
        public: "full",
        registered: "full",
        "registered+metered": "full",
        paid: "preview/subscribe",
        "paid+metered": "metered/subscribe",
      },
      subscriber: {
        public: "full",
        registered: "full",
        "registered+metered": "full",
        paid: "full",
        "paid+metered": "full",
      },
      staff: { public: "full", registered: "full", "registered+metered": "full", paid: "full", "paid+metered": "full" },
    });
  });

  test("an article with nothing after the preview boundary is read in full at any level", () => {
    expect(decideAccess(anonymous, { accessLevel: "paid", isMetered: false, hasGatedPart: false })).toEqual({
      kind: "full",
    });
  });

  test("channels that leave out the metered flag get the preview for a metered article", () => {
    expect(decideAccess(anonymous, { accessLevel: "paid", hasGatedPart: true })).toEqual({
      kind: "preview",
      ask: "subscribe",
    });
  });
});

describe("meteredOutcome", () => {
  const tally = (used: number, alreadyCounted = false, allowance = 3): MeterTally => ({
    allowance,
    used,
    alreadyCounted,
    renewsOn: "2031-06-01",
  });

  test("reads count down the allowance, then the wall says when it renews", () => {
    expect(meteredOutcome("subscribe", tally(0))).toEqual({
      outcome: { kind: "full", meter: { remaining: 2, allowance: 3 } },
      counts: true,
    });
    expect(meteredOutcome("subscribe", tally(2)).outcome).toEqual({
      kind: "full",
      meter: { remaining: 0, allowance: 3 },
    });
    expect(meteredOutcome("subscribe", tally(3))).toEqual({
      outcome: { kind: "preview", ask: "subscribe", exhausted: { allowance: 3, renewsOn: "2031-06-01" } },
      counts: false,
    });
  });

  test("re-reading an article counted this month is free and counts nothing", () => {
    expect(meteredOutcome("register", tally(3, true))).toEqual({
      outcome: { kind: "full", meter: { remaining: 0, allowance: 3 } },
      counts: false,
    });
  });

  test("an allowance of 0 is a hard paywall without a used-up meter", () => {
    expect(meteredOutcome("subscribe", tally(0, false, 0)).outcome).toEqual({ kind: "preview", ask: "subscribe" });
  });

  test("a forged meter (used: Infinity) is used up", () => {
    expect(meteredOutcome("subscribe", tally(Number.POSITIVE_INFINITY)).outcome.kind).toBe("preview");
  });
});

describe("outcomeKey", () => {
  test("names every variant a page can have, and only those", () => {
    expect(outcomeKey({ kind: "full" })).toBe("full");
    expect(outcomeKey({ kind: "full", meter: { remaining: 1, allowance: 3 } })).toBe("full-1of3");
    expect(outcomeKey({ kind: "preview", ask: "register" })).toBe("preview-register");
    expect(outcomeKey({ kind: "preview", ask: "subscribe", exhausted: { allowance: 3, renewsOn: "2031-06-01" } })).toBe(
      "preview-subscribe-exhausted-3-2031-06-01",
    );
  });
});

function outcomeName(decision: ReturnType<typeof decideAccess>): string {
  return decision.kind === "full" ? "full" : `${decision.kind}/${decision.ask}`;
}
