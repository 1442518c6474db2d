import { sql } from "drizzle-orm";
import { boolean, check, index, integer, pgTable, text, timestamp, uniqueIndex, uuid } from "drizzle-orm/pg-core";
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
  /** The price's amount in minor units and its currency, before any offer. */
  amount: integer("amount"),
  currency: text("currency"),
  currentPeriodStart: timestamp("current_period_start", { withTimezone: true }),
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
export const stripeEvents = pgTable(
  "stripe_events",
  {
    id: text("id").primaryKey(),
    type: text("type").notNull(),
    receivedAt: timestamp("received_at", { withTimezone: true }).notNull(),
    /** The member the event changed, when it was about one of their subscriptions. */
    memberId: uuid("member_id").references(() => members.id, { onDelete: "set null" }),
    stripeSubscriptionId: text("stripe_subscription_id"),
  },
  (t) => [index("stripe_events_member_idx").on(t.memberId, t.receivedAt)],
);

export const OFFER_DURATIONS = ["once", "repeating", "forever"] as const;
export const OFFER_INTERVALS = ["month", "year", "both"] as const;
export const OFFER_STATUSES = ["active", "inactive", "archived"] as const;

/**
 * A discount shared as a link (`/subscribe?offer=CODE`), with its Stripe coupon. The discount itself never
 * changes once saved (Stripe coupons cannot), so only the name and the status are edited.
 */
export const offers = pgTable(
  "offers",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    /** As the admin typed it; unique and looked up case-insensitively. */
    code: text("code").notNull(),
    name: text("name").notNull(),
    percentOff: integer("percent_off"),
    /** Minor units of `currency`, the site currency when the offer was made. */
    amountOff: integer("amount_off"),
    currency: text("currency").notNull(),
    duration: text("duration", { enum: OFFER_DURATIONS }).notNull(),
    durationInMonths: integer("duration_in_months"),
    appliesTo: text("applies_to", { enum: OFFER_INTERVALS }).notNull().default("both"),
    maxRedemptions: integer("max_redemptions"),
    expiresAt: timestamp("expires_at", { withTimezone: true }),
    status: text("status", { enum: OFFER_STATUSES }).notNull().default("active"),
    /** Shown on /subscribe when the link names no other offer, so every paywall's Subscribe leads to it. */
    isDefault: boolean("is_default").notNull().default(false),
    stripeCouponId: text("stripe_coupon_id"),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull(),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull(),
  },
  (t) => [
    uniqueIndex("offers_code_key").on(sql`lower(${t.code})`),
    uniqueIndex("offers_one_default").on(t.isDefault).where(sql`${t.isDefault}`),
    check(
      "offers_discount_check",
      sql`(${t.percentOff} BETWEEN 1 AND 100 AND ${t.amountOff} IS NULL) OR (${t.amountOff} > 0 AND ${t.percentOff} IS NULL)`,
    ),
    check(
      "offers_duration_check",
      sql`${t.duration} IN ('once','repeating','forever') AND (${t.duration} = 'repeating') = (${t.durationInMonths} IS NOT NULL) AND (${t.durationInMonths} IS NULL OR ${t.durationInMonths} BETWEEN 1 AND 36)`,
    ),
    check("offers_applies_to_check", sql`${t.appliesTo} IN ('month','year','both')`),
    check("offers_status_check", sql`${t.status} IN ('active','inactive','archived')`),
    check("offers_max_redemptions_check", sql`${t.maxRedemptions} IS NULL OR ${t.maxRedemptions} > 0`),
  ],
);

/**
 * A place in an offer: held while its reader is at Checkout (`reserved`, until `heldUntil`), then `redeemed`
 * by the subscription it started. Held and redeemed places together never exceed the offer's limit.
 */
export const offerRedemptions = pgTable(
  "offer_redemptions",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    offerId: uuid("offer_id")
      .notNull()
      .references(() => offers.id, { onDelete: "cascade" }),
    memberId: uuid("member_id").references(() => members.id, { onDelete: "set null" }),
    status: text("status", { enum: ["reserved", "redeemed"] }).notNull(),
    checkoutSessionId: text("checkout_session_id").unique(),
    stripeSubscriptionId: text("stripe_subscription_id").unique(),
    heldUntil: timestamp("held_until", { withTimezone: true }),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull(),
    redeemedAt: timestamp("redeemed_at", { withTimezone: true }),
  },
  (t) => [
    index("offer_redemptions_offer_idx").on(t.offerId, t.status),
    check("offer_redemptions_status_check", sql`${t.status} IN ('reserved','redeemed')`),
  ],
);
