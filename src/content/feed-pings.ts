/**
 * Feeds change when an article is published, edited, corrected or unpublished, and when a listing is renamed or
 * moves; a WebSub hub, if the paper has one, is told so. Content writes the job in the transaction of the change,
 * so it exists exactly when the change committed; distribution's handler names the feeds to the hub and does
 * nothing when no hub is configured.
 */
import { type SQL, sql } from "drizzle-orm";
import { type Queryable, queryRows } from "../db/index.js";
import { enqueueJob } from "../jobs/index.js";
import type { CacheTag } from "./types.js";

export const FEEDS_CHANGED_JOB = "feeds.ping-hub";

/**
 * A hub fetches a feed as soon as it is pinged: the ping waits until the processes have dropped their cached
 * copies (at commit here, by LISTEN/NOTIFY elsewhere) and the edge's first purge, queued at commit, has run.
 */
export const FEED_PING_DELAY_SECONDS = 2;

/** Listings by id (a retry reads their addresses then): those an article left, or one renamed. */
export type ListingIds = { sectionIds: string[]; tagIds: string[]; authorIds: string[] };

/** Names the articles and listings, not their feeds: a retry reads where each is listed now. */
export type FeedsChangedPayload = { articleIds: string[]; listings?: ListingIds };

const LISTING_TAG = /^(section|tag|author):(.+)$/;

/**
 * Queues the hub's ping: the feeds of the paper and of every listing that shows `articleIds` now, and of the
 * listings named among `listingTags` (cache tags such as `section:<id>`: where an article was before this change).
 */
export async function noteFeedsChanged(
  tx: Queryable,
  change: { articleIds?: string[]; listingTags?: readonly CacheTag[] },
): Promise<void> {
  const articleIds = change.articleIds ?? [];
  const listings: ListingIds = { sectionIds: [], tagIds: [], authorIds: [] };
  for (const tag of change.listingTags ?? []) {
    const [, kind, id] = LISTING_TAG.exec(tag) ?? [];
    if (kind && id) listings[`${kind as "section" | "tag" | "author"}Ids`].push(id);
  }
  const hasListings = Object.values(listings).some((ids) => ids.length > 0);
  if (articleIds.length === 0 && !hasListings) return;
  const payload: FeedsChangedPayload = { articleIds, ...(hasListings ? { listings } : {}) };
  await enqueueJob(tx, { kind: FEEDS_CHANGED_JOB, payload, delaySeconds: FEED_PING_DELAY_SECONDS });
}

const uuids = (ids: readonly string[]) =>
  sql.join(
    ids.map((id) => sql`${id}::uuid`),
    sql`, `,
  );

/**
 * The listings (`/section/x`, `/tag/y`, `/author/z`) whose feeds show these articles, if published, and those
 * named in `listings`, at their addresses now.
 */
export async function listingsShowing(
  db: Queryable,
  articleIds: string[],
  listings: Partial<ListingIds> = {},
): Promise<string[]> {
  const parts: SQL[] = [];
  if (articleIds.length > 0) {
    parts.push(
      sql`SELECT '/section/' || s.slug AS path FROM live JOIN sections s ON s.id = live.section_id
          UNION SELECT '/tag/' || t.slug FROM live JOIN article_tags at ON at.article_id = live.id
            JOIN tags t ON t.id = at.tag_id
          UNION SELECT '/author/' || st.slug FROM live JOIN article_authors aa ON aa.article_id = live.id
            JOIN staff st ON st.id = aa.staff_id`,
    );
  }
  const named: [string, string, string[] | undefined][] = [
    ["sections", "/section/", listings.sectionIds],
    ["tags", "/tag/", listings.tagIds],
    ["staff", "/author/", listings.authorIds],
  ];
  for (const [table, prefix, ids] of named) {
    if (ids?.length)
      parts.push(sql`SELECT ${prefix}::text || slug AS path FROM ${sql.raw(table)} WHERE id IN (${uuids(ids)})`);
  }
  if (parts.length === 0) return [];
  const live = articleIds.length > 0 ? uuids(articleIds) : sql`NULL::uuid`;
  const rows = await queryRows<{ path: string }>(
    db,
    sql`WITH live AS (SELECT id, section_id FROM articles WHERE id IN (${live}) AND status = 'published')
        ${sql.join(parts, sql` UNION `)} ORDER BY 1`,
  );
  return rows.map((r) => r.path);
}
