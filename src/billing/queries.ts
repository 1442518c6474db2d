/** Reading and writing billing's tables. */
import { eq, sql } from "drizzle-orm";
import type { Queryable } from "../db/index.js";
import { billingCustomers, billingPlan, complimentaryGrants, subscriptions } from "./schema.js";

export type Plan = typeof billingPlan.$inferSelect;
export type SubscriptionRow = typeof subscriptions.$inferSelect;

/** The plan, created with its defaults (Digital access, 4.99 a month) the first time it is asked for. */
export async function getPlan(db: Queryable): Promise<Plan> {
  const [existing] = await db.select().from(billingPlan).where(eq(billingPlan.id, 1));
  if (existing) return existing;
  await db.insert(billingPlan).values({ id: 1 }).onConflictDoNothing();
  const [created] = await db.select().from(billingPlan).where(eq(billingPlan.id, 1));
  if (!created) throw new Error("the plan row could not be created");
  return created;
}

export async function customerIdOf(db: Queryable, memberId: string): Promise<string | undefined> {
  const [row] = await db.select().from(billingCustomers).where(eq(billingCustomers.memberId, memberId));
  return row?.stripeCustomerId;
}

export async function memberIdOfCustomer(db: Queryable, customerId: string): Promise<string | undefined> {
  const [row] = await db.select().from(billingCustomers).where(eq(billingCustomers.stripeCustomerId, customerId));
  return row?.memberId;
}

export async function subscriptionsOf(db: Queryable, memberId: string): Promise<SubscriptionRow[]> {
  return db.select().from(subscriptions).where(eq(subscriptions.memberId, memberId));
}

export async function grantOf(db: Queryable, memberId: string) {
  const [row] = await db.select().from(complimentaryGrants).where(eq(complimentaryGrants.memberId, memberId));
  return row;
}

export type PlanInput = {
  name: string;
  includes: string;
  monthlyAmount: number;
  yearlyAmount: number | null;
  trialDays: number;
  graceDays: number;
};

/**
 * Saves the plan. Stripe prices cannot change amount, so a changed amount forgets its Stripe price and the next
 * checkout creates one at the new amount; existing subscribers keep the price they signed up at.
 */
export async function savePlan(db: Queryable, input: PlanInput): Promise<Plan> {
  const current = await getPlan(db);
  await db
    .update(billingPlan)
    .set({
      ...input,
      stripeMonthlyPriceId: input.monthlyAmount === current.monthlyAmount ? current.stripeMonthlyPriceId : null,
      stripeYearlyPriceId: input.yearlyAmount === current.yearlyAmount ? current.stripeYearlyPriceId : null,
      updatedAt: sql`now()`,
    })
    .where(eq(billingPlan.id, 1));
  return getPlan(db);
}

/** After the site's currency changes: the next checkout creates prices in the new one (Stripe prices have one). */
export async function forgetStripePrices(db: Queryable): Promise<void> {
  await db
    .update(billingPlan)
    .set({ stripeMonthlyPriceId: null, stripeYearlyPriceId: null, updatedAt: sql`now()` })
    .where(eq(billingPlan.id, 1));
}
