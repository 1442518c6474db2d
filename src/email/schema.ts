import { sql } from "drizzle-orm";
import { check, index, pgTable, text, timestamp, uniqueIndex, uuid } from "drizzle-orm/pg-core";

/** Every message sent while SMTP_URL is unset, so a fresh install works offline and nothing is lost. */
export const emailOutbox = pgTable(
  "email_outbox",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    /** The queued message's Message-ID: a retried delivery keeps it once. Unset on rows kept before the queue. */
    messageId: text("message_id"),
    toAddress: text("to_address").notNull(),
    subject: text("subject").notNull(),
    html: text("html").notNull(),
    text: text("text").notNull(),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull(),
  },
  (t) => [
    index("email_outbox_to_idx").on(t.toAddress, t.createdAt),
    uniqueIndex("email_outbox_message_id_unique").on(t.messageId),
  ],
);

/**
 * Addresses no bulk message goes to: hard bounces, spam complaints, SMTP refusals and staff's own entries.
 * One row per address, kept lower-case; the first reason recorded stays.
 */
export const emailSuppressions = pgTable(
  "email_suppressions",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    address: text("address").notNull(),
    reason: text("reason", { enum: ["hard_bounce", "complaint", "manual", "smtp_rejected"] }).notNull(),
    /** Where it came from: `postmark`, `smtp`, `staff:<id>`. */
    source: text("source").notNull(),
    /** What the provider, the server or the staff member said. */
    detail: text("detail").notNull().default(""),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull(),
  },
  (t) => [
    uniqueIndex("email_suppressions_address_unique").on(t.address),
    index("email_suppressions_created_idx").on(t.createdAt),
    check("email_suppressions_reason_check", sql`${t.reason} IN ('hard_bounce','complaint','manual','smtp_rejected')`),
  ],
);

/**
 * A bulk message's body, stored once for every message that shares it (a newsletter issue, per reader class and
 * batch of members): each message's job names it and the text that fills its slot (the reader's own link), so a
 * send to 100,000 readers writes a few hundred bodies, not 100,000 copies of the article.
 */
export const mailBodies = pgTable("mail_bodies", {
  id: uuid("id").primaryKey().defaultRandom(),
  html: text("html").notNull(),
  text: text("text").notNull(),
  createdAt: timestamp("created_at", { withTimezone: true }).notNull(),
});
