/** The emails a billing change calls for, queued in the transaction that makes the change. */
import { sql } from "drizzle-orm";
import { queryRows, type Tx } from "../db/index.js";
import {
  type Brand,
  paymentFailedEmail,
  subscriptionCancelledEmail,
  subscriptionEndingEmail,
  subscriptionStartedEmail,
} from "../email/index.js";
import type { BillingDeps } from "./deps.js";
import type { SubscriptionRow } from "./queries.js";

export type Notice = "started" | "ending" | "cancelled" | "payment-failed";

export type BillingChange = { memberId: string; before: SubscriptionRow | undefined; after: SubscriptionRow };

/** What the reader is told about a change of their subscription: a change of state, and a failed payment. */
export function noticesFor(change: BillingChange, eventType: string | undefined): Notice[] {
  const { before, after } = change;
  const paying = (s: SubscriptionRow | undefined) => s && ["active", "trialing"].includes(s.status);
  const notices: Notice[] = [];
  if (!paying(before) && paying(after) && before?.status !== "past_due") notices.push("started");
  else if (after.cancelAtPeriodEnd && !before?.cancelAtPeriodEnd && after.status !== "canceled") notices.push("ending");
  else if (after.status === "canceled" && before?.status !== "canceled") notices.push("cancelled");
  if (eventType === "invoice.payment_failed") notices.push("payment-failed");
  return notices;
}

/**
 * Queues the notice with `tx`, so it is sent exactly when the change commits (a crash after the commit loses
 * nothing). `key` (from the Stripe event) keeps one message per event and notice.
 */
export async function queueNotice(
  deps: Pick<BillingDeps, "mailer" | "publicUrl" | "clock">,
  tx: Tx,
  input: { change: BillingChange; notice: Notice; brand: Brand; key: string | undefined },
): Promise<void> {
  const [member] = await queryRows<{ email: string }>(
    tx,
    sql`SELECT email FROM members WHERE id = ${input.change.memberId}`,
  );
  if (!member) return;
  const { brand, notice } = input;
  const accountUrl = `${deps.publicUrl}/account`;
  const periodEnd = input.change.after.currentPeriodEnd ?? deps.clock.now();
  const email =
    notice === "started"
      ? subscriptionStartedEmail(brand, { accountUrl })
      : notice === "ending"
        ? subscriptionEndingEmail(brand, { accountUrl, endsAt: periodEnd })
        : notice === "cancelled"
          ? subscriptionCancelledEmail(brand, { subscribeUrl: `${deps.publicUrl}/subscribe` })
          : paymentFailedEmail(brand, { accountUrl });
  await deps.mailer.send({ ...email, to: member.email }, { db: tx, key: input.key });
}
