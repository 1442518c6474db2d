import { index, pgTable, text, timestamp, uuid } from "drizzle-orm/pg-core";

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
