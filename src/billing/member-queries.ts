/** The newsroom's view of readers: who they are and what they pay, and what the paper earns. */
import { stringify } from "csv-stringify/sync";
import { type SQL, sql } from "drizzle-orm";
import { type Queryable, queryRows, sumByDay } from "../db/index.js";
import type { DayRange } from "../shared/day-range.js";
import type { Page } from "../shared/types.js";
import { getPlan } from "./queries.js";

export const MEMBER_FILTERS = ["free", "subscriber", "complimentary", "past_due", "cancelled"] as const;
export type MemberFilter = (typeof MEMBER_FILTERS)[number];
export const MEMBERS_PAGE_SIZE = 50;

export type MemberListItem = {
  id: string;
  email: string;
  name: string;
  createdAt: Date;
  /** What they have now: free, subscriber, complimentary, past_due (in grace or not) or cancelled. */
  state: MemberFilter;
  currentPeriodEnd: Date | null;
};

// A member's state, from their newest subscription and any grant; the same words as the filters.
const stateAt = (now: Date) => sql`CASE
  WHEN g.member_id IS NOT NULL AND (g.until IS NULL OR g.until > ${now}) THEN 'complimentary'
  WHEN s.status IN ('active', 'trialing') THEN 'subscriber'
  WHEN s.status = 'past_due' THEN 'past_due'
  WHEN s.status IS NOT NULL THEN 'cancelled'
  ELSE 'free' END`;

const FROM = sql`members m
  LEFT JOIN LATERAL (SELECT status, current_period_end FROM subscriptions
                      WHERE member_id = m.id ORDER BY updated_at DESC LIMIT 1) s ON true
  LEFT JOIN complimentary_grants g ON g.member_id = m.id`;

/** One member's state, by the list's rule: what the reader's page says is what their line in the list says. */
export async function memberStateOf(db: Queryable, input: { id: string; now: Date }): Promise<MemberFilter> {
  const [row] = await queryRows<{ state: MemberFilter }>(
    db,
    sql`SELECT ${stateAt(input.now)} AS state FROM ${FROM} WHERE m.id = ${input.id}`,
  );
  return row?.state ?? "free";
}

export async function listMembers(
  db: Queryable,
  input: { query?: string; filter?: MemberFilter; sort: "newest" | "oldest"; page: number; now: Date },
): Promise<Page<MemberListItem>> {
  const STATE = stateAt(input.now);
  const conditions: SQL[] = [sql`true`];
  if (input.query) {
    const like = `%${input.query.toLowerCase().replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
    conditions.push(sql`(m.email LIKE ${like} OR lower(m.name) LIKE ${like})`);
  }
  if (input.filter) conditions.push(sql`${STATE} = ${input.filter}`);
  const where = sql.join(conditions, sql` AND `);
  const order = input.sort === "oldest" ? sql`m.created_at ASC` : sql`m.created_at DESC`;
  const rows = await queryRows<{
    id: string;
    email: string;
    name: string;
    created_at: Date | string;
    state: MemberFilter;
    current_period_end: Date | string | null;
    total: number;
  }>(
    db,
    sql`SELECT m.id, m.email, m.name, m.created_at, ${STATE} AS state, s.current_period_end,
               count(*) OVER ()::int AS total
          FROM ${FROM} WHERE ${where} ORDER BY ${order}, m.id
         LIMIT ${MEMBERS_PAGE_SIZE} OFFSET ${(input.page - 1) * MEMBERS_PAGE_SIZE}`,
  );
  const total = Number(rows[0]?.total ?? 0);
  return {
    items: rows.map((r) => ({
      id: r.id,
      email: r.email,
      name: r.name,
      createdAt: new Date(r.created_at),
      state: r.state,
      currentPeriodEnd: r.current_period_end ? new Date(r.current_period_end) : null,
    })),
    page: input.page,
    pages: Math.max(1, Math.ceil(total / MEMBERS_PAGE_SIZE)),
    total,
  };
}

export type Revenue = {
  currency: string;
  activeSubscribers: number;
  trialing: number;
  pastDue: number;
  /** Monthly recurring revenue in minor units: monthly prices, plus yearly ones divided by twelve. */
  mrr: number;
  newLast30Days: number;
  cancelledLast30Days: number;
  /** Subscriptions that began with a trial and are now paying. */
  trialConversions: number;
};

export async function revenueSummary(db: Queryable, now: Date, currency: string): Promise<Revenue> {
  const plan = await getPlan(db);
  const since = new Date(now.getTime() - 30 * 86_400_000);
  const [r] = await queryRows<Record<string, number>>(
    db,
    sql`SELECT
          count(*) FILTER (WHERE status = 'active')::int AS active,
          count(*) FILTER (WHERE status = 'trialing')::int AS trialing,
          count(*) FILTER (WHERE status = 'past_due')::int AS past_due,
          count(*) FILTER (WHERE status = 'active' AND interval = 'month')::int AS monthly,
          count(*) FILTER (WHERE status = 'active' AND interval = 'year')::int AS yearly,
          count(*) FILTER (WHERE created_at >= ${since})::int AS new_30,
          count(*) FILTER (WHERE ended_at >= ${since})::int AS cancelled_30,
          count(*) FILTER (WHERE status = 'active' AND trial_started)::int AS converted
        FROM subscriptions`,
  );
  const monthly = Number(r?.monthly ?? 0);
  const yearly = Number(r?.yearly ?? 0);
  return {
    currency,
    activeSubscribers: Number(r?.active ?? 0),
    trialing: Number(r?.trialing ?? 0),
    pastDue: Number(r?.past_due ?? 0),
    mrr: monthly * plan.monthlyAmount + Math.round((yearly * (plan.yearlyAmount ?? 0)) / 12),
    newLast30Days: Number(r?.new_30 ?? 0),
    cancelledLast30Days: Number(r?.cancelled_30 ?? 0),
    trialConversions: Number(r?.converted ?? 0),
  };
}

/**
 * Every reader as CSV for a spreadsheet. A cell starting with = + - @ (or a tab or carriage return) is prefixed
 * with an apostrophe, so a name like "=HYPERLINK(…)" is shown as text instead of run as a formula.
 */
export async function membersCsv(db: Queryable, now: Date): Promise<string> {
  const rows: MemberListItem[] = [];
  for (let page = 1; ; page++) {
    const batch = await listMembers(db, { sort: "oldest", page, now });
    rows.push(...batch.items);
    if (page >= batch.pages) break;
  }
  return stringify(
    rows.map((m) => [m.email, m.name, m.state, m.createdAt.toISOString(), m.currentPeriodEnd?.toISOString() ?? ""]),
    {
      header: true,
      columns: ["email", "name", "state", "joined", "current_period_end"],
      cast: { string: neutraliseFormula },
    },
  );
}

export function neutraliseFormula(cell: string): string {
  return /^[=+\-@\t\r]/.test(cell) ? `'${cell}` : cell;
}

/** Subscriptions started on each day of the range, trials included, whatever became of them since. */
export function countNewSubscriptionsByDay(db: Queryable, range: DayRange): Promise<number[]> {
  return sumByDay(db, range, { at: sql`created_at`, from: sql`subscriptions` });
}
