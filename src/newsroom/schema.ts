import { sql } from "drizzle-orm";
import { bigint, check, index, pgTable, primaryKey, text, timestamp, uuid } from "drizzle-orm/pg-core";

const STAFF_ROLES = ["contributor", "author", "editor", "admin", "owner"] as const;

/**
 * Signed-in newsroom browsers. The cookie holds a random token; only its SHA-256 is kept, so a copy of the
 * table signs nobody in. Deleting rows signs out; the staff row is read on every request, so a role change
 * applies at once.
 */
export const staffSessions = pgTable(
  "staff_sessions",
  {
    tokenHash: text("token_hash").primaryKey(),
    staffId: uuid("staff_id").notNull(),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull(),
    expiresAt: timestamp("expires_at", { withTimezone: true }).notNull(),
  },
  (t) => [index("staff_sessions_staff_idx").on(t.staffId), index("staff_sessions_expires_idx").on(t.expiresAt)],
);

const STAFF_TOKEN_PURPOSES = ["password-reset", "invitation"] as const;

/** Emailed single-use links: password resets and invitations. Only the SHA-256 of the token is kept. */
export const staffTokens = pgTable(
  "staff_tokens",
  {
    tokenHash: text("token_hash").primaryKey(),
    purpose: text("purpose", { enum: STAFF_TOKEN_PURPOSES }).notNull(),
    email: text("email").notNull(),
    /** The account a reset is for; unset for an invitation. */
    staffId: uuid("staff_id"),
    /** The role an invitation grants. */
    role: text("role", { enum: STAFF_ROLES }),
    invitedBy: uuid("invited_by"),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull(),
    expiresAt: timestamp("expires_at", { withTimezone: true }).notNull(),
    usedAt: timestamp("used_at", { withTimezone: true }),
  },
  (t) => [
    index("staff_tokens_email_idx").on(t.email),
    check("staff_tokens_purpose_check", sql`${t.purpose} IN ('password-reset','invitation')`),
  ],
);

/** TOTP two-factor sign-in: set up once confirmed with a first code; `lastStep` refuses a replayed code. */
export const staffTwoFactor = pgTable("staff_two_factor", {
  staffId: uuid("staff_id").primaryKey(),
  secret: text("secret").notNull(),
  confirmedAt: timestamp("confirmed_at", { withTimezone: true }),
  lastStep: bigint("last_step", { mode: "number" }).notNull().default(0),
});

/**
 * The Idempotency-Key of each article creation, per staff member: a retried create finds the first article and
 * its answer instead of making another. The primary key makes two concurrent requests with one key wait for
 * each other, so they create one article. `articleId` and `response` are set in the creating transaction.
 */
export const articleCreateKeys = pgTable(
  "article_create_keys",
  {
    staffId: uuid("staff_id").notNull(),
    key: text("key").notNull(),
    /** SHA-256 of the request body: the same key with a different body is refused, not answered with the first. */
    requestHash: text("request_hash").notNull(),
    articleId: uuid("article_id"),
    /** The first answer's body as it was sent, so a retry gets the very same bytes. */
    response: text("response"),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.staffId, t.key] })],
);
