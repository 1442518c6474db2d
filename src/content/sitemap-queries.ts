/** Reads for sitemaps: every published address and when what it shows last changed. */
import { type SQL, sql } from "drizzle-orm";
import { type Queryable, queryRows } from "../db/index.js";
import { toDate } from "./queries.js";
import { articlePath } from "./types.js";

type Row = Record<string, unknown>;

export type SitemapListing = "sections" | "tags" | "authors" | "pages";

/** A listed address and when what it shows last changed. Among "pages", the front page is the one with slug "". */
export type SitemapEntry = { slug: string; updatedAt: Date };

// A listing changed when it was edited or when its newest published article did; tags and authors without a
// published article have no page worth listing. Archived sections are left out; their articles are not.
const SITEMAP_LISTINGS: Record<SitemapListing, SQL> = {
  sections: sql`SELECT s.slug, greatest(s.updated_at, max(a.updated_at)) AS updated_at
                  FROM sections s LEFT JOIN articles a ON a.section_id = s.id AND a.status = 'published'
                 WHERE s.archived_at IS NULL
                 GROUP BY s.id`,
  tags: sql`SELECT t.slug, greatest(t.updated_at, max(a.updated_at)) AS updated_at
              FROM tags t JOIN article_tags x ON x.tag_id = t.id
              JOIN articles a ON a.id = x.article_id AND a.status = 'published'
             GROUP BY t.id`,
  authors: sql`SELECT st.slug, greatest(st.updated_at, max(a.updated_at)) AS updated_at
                 FROM staff st JOIN article_authors x ON x.staff_id = st.id
                 JOIN articles a ON a.id = x.article_id AND a.status = 'published'
                GROUP BY st.id`,
  pages: sql`SELECT '' AS slug, max(updated_at) AS updated_at FROM articles WHERE status = 'published' HAVING count(*) > 0
             UNION ALL SELECT slug, updated_at FROM pages WHERE is_published`,
};

export async function listSitemapEntries(db: Queryable, listing: SitemapListing): Promise<SitemapEntry[]> {
  const result = await queryRows<Row>(
    db,
    sql`SELECT slug, updated_at FROM (${SITEMAP_LISTINGS[listing]}) e ORDER BY slug`,
  );
  return result.map((r) => ({ slug: String(r.slug), updatedAt: toDate(r.updated_at) }));
}

export type SitemapArticle = { path: string; updatedAt: Date };

/** A page of every published article, oldest first, so earlier pages keep their addresses as the paper grows. */
export async function listSitemapArticles(
  db: Queryable,
  input: { page: number; pageSize: number },
): Promise<SitemapArticle[]> {
  const result = await queryRows<Row>(
    db,
    sql`SELECT a.slug, s.slug AS section_slug, a.updated_at
          FROM articles a JOIN sections s ON s.id = a.section_id
         WHERE a.status = 'published'
         ORDER BY a.published_at, a.id
         LIMIT ${input.pageSize} OFFSET ${(input.page - 1) * input.pageSize}`,
  );
  return result.map((r) => ({
    path: articlePath(String(r.section_slug), String(r.slug)),
    updatedAt: toDate(r.updated_at),
  }));
}

/** When each page of `listSitemapArticles` and each listing last changed; `undefined` for an empty listing. */
export type SitemapIndex = { articlePages: Date[]; listings: Record<SitemapListing, Date | undefined> };

export async function findSitemapIndex(db: Queryable, articlesPerPage: number): Promise<SitemapIndex> {
  const names = Object.keys(SITEMAP_LISTINGS) as SitemapListing[];
  const listings = names.map(
    (name) =>
      sql`SELECT ${name}::text AS name, 0 AS page, max(updated_at) AS updated_at FROM (${SITEMAP_LISTINGS[name]}) e`,
  );
  const result = await queryRows<Row>(
    db,
    sql`SELECT 'articles' AS name, page, max(updated_at) AS updated_at
          FROM (SELECT updated_at, (row_number() OVER (ORDER BY published_at, id) - 1) / ${articlesPerPage}::int + 1 AS page
                  FROM articles WHERE status = 'published') a
         GROUP BY page
        UNION ALL ${sql.join(listings, sql` UNION ALL `)}
        ORDER BY name, page`,
  );
  const lastChange = (name: string) => {
    const r = result.find((row) => row.name === name);
    return r?.updated_at ? toDate(r.updated_at) : undefined;
  };
  return {
    articlePages: result.filter((r) => r.name === "articles").map((r) => toDate(r.updated_at)),
    listings: Object.fromEntries(names.map((name) => [name, lastChange(name)])) as SitemapIndex["listings"],
  };
}
