/** Reading and writing billing's tables. */
import { eq } from "drizzle-orm";
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
