import { sql } from "drizzle-orm";
import { boolean, check, integer, pgTable, text, timestamp, uuid } from "drizzle-orm/pg-core";
import { membersTable as members } from "../members/index.js";

/** The subscription the paper sells: one plan, monthly and optionally yearly, with its Stripe ids once created. */
export const billingPlan = pgTable(
  "billing_plan",
  {
    id: integer("id").primaryKey().default(1),
    name: text("name").notNull().default("Digital access"),
    includes: text("includes").notNull().default("Full digital access to all news, analysis and more."),
    /** Minor units of the site currency (cents). */
    monthlyAmount: integer("monthly_amount").notNull().default(499),
    yearlyAmount: integer("yearly_amount").default(4999),
    trialDays: integer("trial_days").notNull().default(0),
    /** How long a subscription whose payment failed keeps access. */
    graceDays: integer("grace_days").notNull().default(7),
    stripeProductId: text("stripe_product_id"),
    stripeMonthlyPriceId: text("stripe_monthly_price_id"),
    stripeYearlyPriceId: text("stripe_yearly_price_id"),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    check("billing_plan_single_row", sql`${t.id} = 1`),
    check(
      "billing_plan_amounts_check",
      sql`${t.monthlyAmount} > 0 AND (${t.yearlyAmount} IS NULL OR ${t.yearlyAmount} > 0)`,
    ),
    check("billing_plan_days_check", sql`${t.trialDays} BETWEEN 0 AND 365 AND ${t.graceDays} BETWEEN 0 AND 60`),
  ],
);

/** A member's Stripe customer, made at their first checkout. */
export const billingCustomers = pgTable("billing_customers", {
  memberId: uuid("member_id")
    .primaryKey()
    .references(() => members.id, { onDelete: "cascade" }),
  stripeCustomerId: text("stripe_customer_id").notNull().unique(),
});

/** Stripe's subscriptions as last read from Stripe; the source of a subscriber's paid access. */
export const subscriptions = pgTable("subscriptions", {
  stripeSubscriptionId: text("stripe_subscription_id").primaryKey(),
  memberId: uuid("member_id")
    .notNull()
    .references(() => members.id, { onDelete: "cascade" }),
  status: text("status").notNull(),
  interval: text("interval"),
  currentPeriodEnd: timestamp("current_period_end", { withTimezone: true }),
  cancelAtPeriodEnd: boolean("cancel_at_period_end").notNull().default(false),
  /** When the subscription was first seen past due in its current run of failed payments. */
  pastDueSince: timestamp("past_due_since", { withTimezone: true }),
  /** Began with a free trial: counted as a trial conversion once it is paying. */
  trialStarted: boolean("trial_started").notNull().default(false),
  endedAt: timestamp("ended_at", { withTimezone: true }),
  createdAt: timestamp("created_at", { withTimezone: true }).notNull(),
  updatedAt: timestamp("updated_at", { withTimezone: true }).notNull(),
});

/** Free paid access an admin gave a reader, until a date or until taken back. */
export const complimentaryGrants = pgTable("complimentary_grants", {
  memberId: uuid("member_id")
    .primaryKey()
    .references(() => members.id, { onDelete: "cascade" }),
  until: timestamp("until", { withTimezone: true }),
  note: text("note").notNull().default(""),
  grantedAt: timestamp("granted_at", { withTimezone: true }).notNull(),
});

/** Every Stripe event applied, by id: a second delivery of the same event is a no-op. */
export const stripeEvents = pgTable("stripe_events", {
  id: text("id").primaryKey(),
  type: text("type").notNull(),
  receivedAt: timestamp("received_at", { withTimezone: true }).notNull(),
});
