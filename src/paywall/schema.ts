import { date, integer, pgTable, primaryKey, uuid } from "drizzle-orm/pg-core";

/** Per article and day (UTC): walls shown, registrations and subscriptions started from a wall. */
export const paywallCounts = pgTable(
  "paywall_counts",
  {
    articleId: uuid("article_id").notNull(),
    day: date("day").notNull(),
    wallViews: integer("wall_views").notNull().default(0),
    registrations: integer("registrations").notNull().default(0),
    subscriptions: integer("subscriptions").notNull().default(0),
  },
  (t) => [primaryKey({ columns: [t.articleId, t.day] })],
);
