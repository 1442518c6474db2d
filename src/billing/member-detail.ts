/** One reader as the newsroom sees them: account, paid access, every subscription, grant and Stripe event. */
import { sql } from "drizzle-orm";
import { type Queryable, queryRows } from "../db/index.js";
import { NotFound } from "../shared/errors.js";
import { type MemberFilter, memberStateOf } from "./member-queries.js";

export type MemberDetail = {
  member: { id: string; email: string; name: string; createdAt: Date; emailVerifiedAt: Date | null };
  /** What the member may read now, as billing last recorded it on the member. */
  entitlement: { kind: "registered" | "subscriber" | "complimentary"; until: Date | null };
  /** The state the readers list shows for them (free, subscriber, complimentary, past due, cancelled). */
  state: MemberFilter;
  subscriptions: {
    stripeSubscriptionId: string;
    status: string;
    interval: string | null;
    amount: number | null;
    currency: string | null;
    currentPeriodStart: Date | null;
    currentPeriodEnd: Date | null;
    cancelAtPeriodEnd: boolean;
    pastDueSince: Date | null;
    trialStarted: boolean;
    startedAt: Date;
    endedAt: Date | null;
    offer: { id: string; code: string; name: string } | null;
  }[];
  complimentary: { until: Date | null; note: string; grantedAt: Date } | null;
  stripeEvents: { id: string; type: string; receivedAt: Date; stripeSubscriptionId: string | null }[];
};

const date = (v: Date | string) => new Date(v);
const maybeDate = (v: Date | string | null) => (v === null ? null : new Date(v));

export async function getMemberDetail(db: Queryable, input: { id: string; now: Date }): Promise<MemberDetail> {
  const [m] = await queryRows<{
    id: string;
    email: string;
    name: string;
    created_at: Date | string;
    email_verified_at: Date | string | null;
    paid_access: "subscriber" | "complimentary" | null;
    paid_access_until: Date | string | null;
  }>(
    db,
    sql`SELECT id, email, name, created_at, email_verified_at, paid_access, paid_access_until
          FROM members WHERE id = ${input.id}`,
  );
  if (!m) throw new NotFound("MEMBER_NOT_FOUND", "There is no reader with that id.");
  const until = maybeDate(m.paid_access_until);
  const paid = m.paid_access && (until === null || until > input.now);
  const subscriptions = await queryRows<Record<string, unknown>>(
    db,
    sql`SELECT s.stripe_subscription_id, s.status, s.interval, s.amount, s.currency, s.current_period_start,
               s.current_period_end, s.cancel_at_period_end, s.past_due_since, s.trial_started, s.created_at,
               s.ended_at, o.id AS offer_id, o.code AS offer_code, o.name AS offer_name
          FROM subscriptions s
          LEFT JOIN offer_redemptions r ON r.stripe_subscription_id = s.stripe_subscription_id
          LEFT JOIN offers o ON o.id = r.offer_id
         WHERE s.member_id = ${input.id}
         ORDER BY s.created_at DESC, s.stripe_subscription_id`,
  );
  const [grant] = await queryRows<{ until: Date | string | null; note: string; granted_at: Date | string }>(
    db,
    sql`SELECT until, note, granted_at FROM complimentary_grants WHERE member_id = ${input.id}`,
  );
  const events = await queryRows<{
    id: string;
    type: string;
    received_at: Date | string;
    stripe_subscription_id: string | null;
  }>(
    db,
    sql`SELECT id, type, received_at, stripe_subscription_id FROM stripe_events
         WHERE member_id = ${input.id} ORDER BY received_at DESC, id LIMIT 500`,
  );
  return {
    member: {
      id: m.id,
      email: m.email,
      name: m.name,
      createdAt: date(m.created_at),
      emailVerifiedAt: maybeDate(m.email_verified_at),
    },
    entitlement: paid ? { kind: m.paid_access ?? "registered", until } : { kind: "registered", until: null },
    state: await memberStateOf(db, input),
    subscriptions: subscriptions.map((s) => ({
      stripeSubscriptionId: String(s.stripe_subscription_id),
      status: String(s.status),
      interval: (s.interval as string | null) ?? null,
      amount: s.amount === null ? null : Number(s.amount),
      currency: (s.currency as string | null) ?? null,
      currentPeriodStart: maybeDate(s.current_period_start as string | null),
      currentPeriodEnd: maybeDate(s.current_period_end as string | null),
      cancelAtPeriodEnd: Boolean(s.cancel_at_period_end),
      pastDueSince: maybeDate(s.past_due_since as string | null),
      trialStarted: Boolean(s.trial_started),
      startedAt: date(s.created_at as string),
      endedAt: maybeDate(s.ended_at as string | null),
      offer: s.offer_id ? { id: String(s.offer_id), code: String(s.offer_code), name: String(s.offer_name) } : null,
    })),
    complimentary: grant
      ? { until: maybeDate(grant.until), note: grant.note, grantedAt: date(grant.granted_at) }
      : null,
    stripeEvents: events.map((e) => ({
      id: e.id,
      type: e.type,
      receivedAt: date(e.received_at),
      stripeSubscriptionId: e.stripe_subscription_id,
    })),
  };
}
