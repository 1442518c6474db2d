/**
 * Which articles sell: per article and day, how often the wall was shown, and how many registrations and
 * subscriptions started from it. Counted in memory and added to the table every few seconds, so a page view
 * never waits on a write; a crash loses at most those seconds of counts.
 */
import { sql } from "drizzle-orm";
import { type Db, queryRows } from "../db/index.js";
import type { Clock } from "../shared/clock.js";

export type PaywallCounter = "wallViews" | "registrations" | "subscriptions";
type Counts = Record<PaywallCounter, number>;

export type PaywallCounters = {
  count(articleId: string, counter: PaywallCounter): void;
  /** Adds what was counted since the last flush to the table. */
  flush(): Promise<void>;
};

export function createPaywallCounters(deps: { db: Db; clock: Clock }): PaywallCounters {
  let pending = new Map<string, Counts>();
  return {
    count(articleId, counter) {
      const key = `${articleId}|${deps.clock.now().toISOString().slice(0, 10)}`;
      const counts = pending.get(key) ?? { wallViews: 0, registrations: 0, subscriptions: 0 };
      counts[counter]++;
      pending.set(key, counts);
    },
    async flush() {
      if (pending.size === 0) return;
      const batch = pending;
      pending = new Map();
      for (const [key, c] of batch) {
        const [articleId, day] = key.split("|");
        await deps.db.execute(sql`
          INSERT INTO paywall_counts (article_id, day, wall_views, registrations, subscriptions)
          VALUES (${articleId}, ${day}, ${c.wallViews}, ${c.registrations}, ${c.subscriptions})
          ON CONFLICT (article_id, day) DO UPDATE SET
            wall_views = paywall_counts.wall_views + excluded.wall_views,
            registrations = paywall_counts.registrations + excluded.registrations,
            subscriptions = paywall_counts.subscriptions + excluded.subscriptions`);
      }
    },
  };
}

export type PaywallReportRow = { articleId: string } & Counts;

/** Totals per article since `since` (a day), the articles that sell subscriptions first. */
export async function paywallReport(db: Db, since: string): Promise<PaywallReportRow[]> {
  const rows = await queryRows<{
    article_id: string;
    wall_views: number;
    registrations: number;
    subscriptions: number;
  }>(
    db,
    sql`SELECT article_id, sum(wall_views)::int AS wall_views, sum(registrations)::int AS registrations,
               sum(subscriptions)::int AS subscriptions
          FROM paywall_counts WHERE day >= ${since}
         GROUP BY article_id ORDER BY subscriptions DESC, registrations DESC, wall_views DESC`,
  );
  return rows.map((r) => ({
    articleId: r.article_id,
    wallViews: Number(r.wall_views),
    registrations: Number(r.registrations),
    subscriptions: Number(r.subscriptions),
  }));
}
