import { sql } from "drizzle-orm";
import { check, index, pgTable, primaryKey, text, timestamp, uniqueIndex, uuid } from "drizzle-orm/pg-core";

/** Readers with an account. Emails are stored lower-case, so the unique index is a plain one. */
export const members = pgTable(
  "members",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    email: text("email").notNull(),
    name: text("name").notNull().default(""),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull(),
    emailVerifiedAt: timestamp("email_verified_at", { withTimezone: true }),
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

/**
 * One row per signed-in browser; the session cookie names its row. Signing out deletes the row, so a copy of the
 * cookie is refused at its next check against the database (the account pages always check; page views once
 * their claim is stale).
 */
export const memberSessions = pgTable(
  "member_sessions",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    memberId: uuid("member_id")
      .notNull()
      .references(() => members.id, { onDelete: "cascade" }),
    /** When the emailed link that opened this session was used: "signed in recently" is measured from here. */
    signedInAt: timestamp("signed_in_at", { withTimezone: true }).notNull(),
    /** When a claim was last issued for it, to the day: a session idle for the renewal window is gone. */
    renewedAt: timestamp("renewed_at", { withTimezone: true }).notNull(),
  },
  (t) => [index("member_sessions_member_idx").on(t.memberId), index("member_sessions_renewed_idx").on(t.renewedAt)],
);

const MEMBER_TOKEN_PURPOSES = ["sign-in", "email-change", "email-undo"] as const;

/** Emailed single-use links. Only the SHA-256 of the token is kept; the token itself exists in the email. */
export const memberTokens = pgTable(
  "member_tokens",
  {
    tokenHash: text("token_hash").primaryKey(),
    purpose: text("purpose", { enum: MEMBER_TOKEN_PURPOSES }).notNull(),
    /** The address the link was sent to, and the only one it works for. */
    email: text("email").notNull(),
    /** Set for an email change and its undo; a sign-in link may be for an address with no account yet. */
    memberId: uuid("member_id").references(() => members.id, { onDelete: "cascade" }),
    /** An email change's link works only in the session that asked for it, and dies when that session ends. */
    sessionId: uuid("session_id").references(() => memberSessions.id, { onDelete: "cascade" }),
    /** Where to go after signing in: a path on this site, checked before it was stored. */
    nextPath: text("next_path"),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull(),
    expiresAt: timestamp("expires_at", { withTimezone: true }).notNull(),
    usedAt: timestamp("used_at", { withTimezone: true }),
  },
  (t) => [
    index("member_tokens_email_idx").on(t.email),
    index("member_tokens_expires_idx").on(t.expiresAt),
    index("member_tokens_session_idx").on(t.sessionId),
    check("member_tokens_purpose_check", sql`${t.purpose} IN ('sign-in','email-change','email-undo')`),
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
