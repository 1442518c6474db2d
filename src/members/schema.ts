import { sql } from "drizzle-orm";
import { check, index, integer, pgTable, primaryKey, text, timestamp, uniqueIndex, uuid } from "drizzle-orm/pg-core";

/** Readers with an account. Emails are stored lower-case, so the unique index is a plain one. */
export const members = pgTable(
  "members",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    email: text("email").notNull(),
    name: text("name").notNull().default(""),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull(),
    emailVerifiedAt: timestamp("email_verified_at", { withTimezone: true }),
    /** Bumped by "sign out everywhere": session cookies carrying an older number stop being renewed. */
    sessionVersion: integer("session_version").notNull().default(1),
    /**
     * Paid reading, as billing last worked it out from subscriptions and complimentary grants: the kind, and
     * when it ends (null: open-ended). Billing is the only writer (`setPaidAccess`); sessions only read it.
     */
    paidAccess: text("paid_access", { enum: ["subscriber", "complimentary"] }),
    paidAccessUntil: timestamp("paid_access_until", { withTimezone: true }),
  },
  (t) => [
    uniqueIndex("members_email_key").on(t.email),
    check("members_email_lower_case", sql`${t.email} = lower(${t.email})`),
    check("members_paid_access_check", sql`${t.paidAccess} IN ('subscriber','complimentary')`),
  ],
);

const MEMBER_TOKEN_PURPOSES = ["sign-in", "email-change"] as const;

/** Emailed single-use links. Only the SHA-256 of the token is kept; the token itself exists in the email. */
export const memberTokens = pgTable(
  "member_tokens",
  {
    tokenHash: text("token_hash").primaryKey(),
    purpose: text("purpose", { enum: MEMBER_TOKEN_PURPOSES }).notNull(),
    /** The address the link was sent to, and the only one it works for. */
    email: text("email").notNull(),
    /** Set for an email change; a sign-in link may be for an address with no account yet. */
    memberId: uuid("member_id").references(() => members.id, { onDelete: "cascade" }),
    /** Where to go after signing in: a path on this site, checked before it was stored. */
    nextPath: text("next_path"),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull(),
    expiresAt: timestamp("expires_at", { withTimezone: true }).notNull(),
    usedAt: timestamp("used_at", { withTimezone: true }),
  },
  (t) => [
    index("member_tokens_email_idx").on(t.email),
    index("member_tokens_expires_idx").on(t.expiresAt),
    check("member_tokens_purpose_check", sql`${t.purpose} IN ('sign-in','email-change')`),
  ],
);

/**
 * A registered reader's meter: the metered articles read each month (site time zone, `YYYY-MM`). Re-reading an
 * article already counted adds nothing. Article ids are not foreign keys: a deleted article still counted.
 */
export const memberMeterReads = pgTable(
  "member_meter_reads",
  {
    memberId: uuid("member_id")
      .notNull()
      .references(() => members.id, { onDelete: "cascade" }),
    month: text("month").notNull(),
    articleId: uuid("article_id").notNull(),
    readAt: timestamp("read_at", { withTimezone: true }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.memberId, t.month, t.articleId] })],
);
