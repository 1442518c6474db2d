/** Billing's verdict: from a member's subscriptions and grant, the paid access they have. Pure. */
import type { PaidAccess } from "../members/index.js";

export type SubscriptionState = {
  status: string;
  currentPeriodEnd: Date | null;
  cancelAtPeriodEnd: boolean;
  pastDueSince: Date | null;
};

export type GrantState = { until: Date | null };

/** A renewal's webhook may arrive a little after the period ends; access does not flicker off meanwhile. */
export const RENEWAL_MARGIN_MS = 2 * 86_400_000;
const DAY_MS = 86_400_000;

/**
 * Active or trialing: until the period ends (plus the renewal margin, unless it is set to cancel then). Past due:
 * until the grace period after the first failed payment. Cancelled: until the end of the period already paid.
 * Anything else (incomplete, unpaid): none. The most generous source wins; a grant without an end beats all.
 */
export function paidAccessFrom(input: {
  subscriptions: readonly SubscriptionState[];
  grant: GrantState | undefined;
  graceDays: number;
}): PaidAccess | null {
  const candidates: PaidAccess[] = [];
  for (const s of input.subscriptions) {
    const until = subscriptionUntil(s, input.graceDays);
    if (until) candidates.push({ kind: "subscriber", until });
  }
  if (input.grant) candidates.push({ kind: "complimentary", until: input.grant.until });
  if (candidates.length === 0) return null;
  return candidates.reduce((best, c) =>
    best.until === null || (c.until !== null && c.until.getTime() <= best.until.getTime()) ? best : c,
  );
}

function subscriptionUntil(s: SubscriptionState, graceDays: number): Date | null {
  const end = s.currentPeriodEnd;
  switch (s.status) {
    case "active":
    case "trialing":
      return end && new Date(end.getTime() + (s.cancelAtPeriodEnd ? 0 : RENEWAL_MARGIN_MS));
    case "past_due":
      return s.pastDueSince && new Date(s.pastDueSince.getTime() + graceDays * DAY_MS);
    case "canceled":
      return end;
    default:
      return null;
  }
}
