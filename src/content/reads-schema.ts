import { index, integer, pgTable, primaryKey, timestamp, uuid } from "drizzle-orm/pg-core";

/**
 * Readers' page views per article and hour (UTC), counted in memory and added here in batches (read-counts.ts).
 * No reader is named: no IP, no cookie, no member. No foreign key, so a batch counted for an article deleted
 * since still saves; "Most read" joins published articles only.
 */
export const articleReads = pgTable(
  "article_reads",
  {
    articleId: uuid("article_id").notNull(),
    hour: timestamp("hour", { withTimezone: true }).notNull(),
    reads: integer("reads").notNull().default(0),
  },
  (t) => [primaryKey({ columns: [t.articleId, t.hour] }), index("article_reads_hour_idx").on(t.hour)],
);
