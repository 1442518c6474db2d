import { index, integer, pgTable, primaryKey, text, timestamp, uuid } from "drizzle-orm/pg-core";

/** One row per attempt that a limit let through; the key is stored only as its SHA-256 (no addresses or IPs). */
export const attempts = pgTable(
  "attempts",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    scope: text("scope").notNull(),
    keyHash: text("key_hash").notNull(),
    at: timestamp("at", { withTimezone: true }).notNull(),
  },
  (t) => [index("attempts_scope_key_at").on(t.scope, t.keyHash, t.at), index("attempts_at").on(t.at)],
);

/**
 * Requests counted per scope, key and fixed window, added to by every process once a second; the key is stored
 * only as its SHA-256 (no IPs). Rows of windows gone by are pruned.
 */
export const requestCounts = pgTable(
  "request_counts",
  {
    scope: text("scope").notNull(),
    keyHash: text("key_hash").notNull(),
    windowStart: timestamp("window_start", { withTimezone: true }).notNull(),
    count: integer("count").notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.scope, t.keyHash, t.windowStart] }),
    index("request_counts_window_start").on(t.windowStart),
  ],
);
