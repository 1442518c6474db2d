import { describe, expect, test } from "vitest";
import { paidAccessFrom, RENEWAL_MARGIN_MS } from "./paid-access.js";

const day = 86_400_000;
const t0 = new Date("2031-03-01T00:00:00Z");
const at = (days: number) => new Date(t0.getTime() + days * day);
const sub = (status: string, over: Partial<Parameters<typeof paidAccessFrom>[0]["subscriptions"][number]> = {}) => ({
  status,
  currentPeriodEnd: at(30),
  cancelAtPeriodEnd: false,
  pastDueSince: null,
  ...over,
});

describe("paidAccessFrom", () => {
  test("each subscription state gives its access", () => {
    const of = (s: ReturnType<typeof sub>) => paidAccessFrom({ subscriptions: [s], grant: undefined, graceDays: 7 });
    expect(of(sub("active"))).toEqual({ kind: "subscriber", until: new Date(at(30).getTime() + RENEWAL_MARGIN_MS) });
    expect(of(sub("trialing", { cancelAtPeriodEnd: true }))).toEqual({ kind: "subscriber", until: at(30) });
    expect(of(sub("past_due", { pastDueSince: at(2) }))).toEqual({ kind: "subscriber", until: at(9) });
    expect(of(sub("canceled"))).toEqual({ kind: "subscriber", until: at(30) });
    expect(of(sub("incomplete"))).toBeNull();
    expect(of(sub("unpaid"))).toBeNull();
  });

  test("the most generous source wins; a grant without an end beats every subscription", () => {
    expect(
      paidAccessFrom({
        subscriptions: [sub("canceled"), sub("past_due", { pastDueSince: at(40) })],
        grant: undefined,
        graceDays: 7,
      }),
    ).toEqual({ kind: "subscriber", until: at(47) });
    expect(paidAccessFrom({ subscriptions: [sub("active")], grant: { until: null }, graceDays: 7 })).toEqual({
      kind: "complimentary",
      until: null,
    });
    expect(paidAccessFrom({ subscriptions: [sub("active")], grant: { until: at(5) }, graceDays: 7 })?.kind).toBe(
      "subscriber",
    );
    expect(paidAccessFrom({ subscriptions: [], grant: undefined, graceDays: 7 })).toBeNull();
  });
});
