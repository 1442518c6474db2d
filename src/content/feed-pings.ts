/**
 * Feeds change when an article is published or edited; a WebSub hub, if the paper has one, is told so. Content
 * writes the job in the transaction of the change, so it exists exactly when the change committed; distribution's
 * handler names the feeds to the hub and does nothing when no hub is configured.
 */
import { sql } from "drizzle-orm";
import { type Queryable, queryRows } from "../db/index.js";
import { enqueueJob } from "../jobs/index.js";

export const FEEDS_CHANGED_JOB = "feeds.ping-hub";

/** Names the articles, not their feeds: a retry reads where each is listed now. */
export type FeedsChangedPayload = { articleIds: string[] };

export async function noteFeedsChanged(tx: Queryable, articleIds: string[]): Promise<void> {
  if (articleIds.length === 0) return;
  const payload: FeedsChangedPayload = { articleIds };
  await enqueueJob(tx, { kind: FEEDS_CHANGED_JOB, payload });
}

/** The listings (`/section/x`, `/tag/y`, `/author/z`) whose feeds show these articles, if published. */
export async function listingsShowing(db: Queryable, articleIds: string[]): Promise<string[]> {
  if (articleIds.length === 0) return [];
  const ids = sql.join(
    articleIds.map((id) => sql`${id}::uuid`),
    sql`, `,
  );
  const rows = await queryRows<{ path: string }>(
    db,
    sql`WITH live AS (SELECT id, section_id FROM articles WHERE id IN (${ids}) AND status = 'published')
        SELECT '/section/' || s.slug AS path FROM live JOIN sections s ON s.id = live.section_id
        UNION SELECT '/tag/' || t.slug FROM live JOIN article_tags at ON at.article_id = live.id
          JOIN tags t ON t.id = at.tag_id
        UNION SELECT '/author/' || st.slug FROM live JOIN article_authors aa ON aa.article_id = live.id
          JOIN staff st ON st.id = aa.staff_id
        ORDER BY path`,
  );
  return rows.map((r) => r.path);
}
