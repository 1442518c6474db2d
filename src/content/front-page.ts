/** The front page's read: the editors' picks first, then the newest articles overall, by section and by kind. */
import { sql } from "drizzle-orm";
import { type Queryable, queryRows } from "../db/index.js";
import { SUMMARY_COLUMNS, toSummary } from "./queries.js";
import type { ArticleSummary, Section } from "./types.js";

export type HomePageData = {
  lead: ArticleSummary | undefined;
  top: ArticleSummary[];
  latest: ArticleSummary[];
  analysis: ArticleSummary[];
  opinion: ArticleSummary[];
  bySection: { section: Section; articles: ArticleSummary[] }[];
};

/** Top-story slots filled automatically when the editors pinned fewer: three beside the lead, four under it. */
const AUTOMATIC_TOP_STORIES = 7;

/**
 * Everything the home page shows, in one query: the editors' picks (home_picks: the lead, then the top stories in
 * their order; published ones only), then the newest overall, per section and per kind.
 */
export async function findHomePage(db: Queryable, sections: Section[]): Promise<HomePageData> {
  const result = await queryRows<Record<string, unknown>>(
    db,
    // Each part reads its newest few through an index, so the cost does not grow with the archive.
    sql`WITH chosen AS (
          (SELECT a.id FROM articles a WHERE a.status = 'published' ORDER BY a.published_at DESC NULLS LAST LIMIT 24)
          UNION
          (SELECT newest.id FROM sections sec CROSS JOIN LATERAL (
             SELECT a.id FROM articles a WHERE a.section_id = sec.id AND a.status = 'published'
              ORDER BY a.published_at DESC NULLS LAST LIMIT 8) AS newest)
          UNION
          (SELECT newest.id FROM (VALUES ('analysis'), ('opinion')) AS k(kind) CROSS JOIN LATERAL (
             SELECT a.id FROM articles a WHERE a.kind = k.kind AND a.status = 'published'
              ORDER BY a.published_at DESC NULLS LAST LIMIT 4) AS newest)
          UNION
          (SELECT a.id FROM articles a WHERE a.is_featured AND a.status = 'published'
            ORDER BY a.published_at DESC NULLS LAST LIMIT 4)
          UNION
          (SELECT p.article_id FROM home_picks p))
        SELECT ${SUMMARY_COLUMNS}, (SELECT p.position FROM home_picks p WHERE p.article_id = a.id) AS home_position
          FROM chosen JOIN articles a ON a.id = chosen.id JOIN sections s ON s.id = a.section_id
         WHERE a.status = 'published'
         ORDER BY a.published_at DESC NULLS LAST, a.id`,
  );
  const all = result.map(toSummary);
  const positionOf = new Map(
    result.flatMap((r) => (r.home_position === null ? [] : [[String(r.id), Number(r.home_position)] as const])),
  );
  const picked = all
    .filter((a) => positionOf.has(a.id))
    .sort((x, y) => (positionOf.get(x.id) ?? 0) - (positionOf.get(y.id) ?? 0));
  const pickedLead = picked.find((a) => positionOf.get(a.id) === 0);
  const pickedTop = picked.filter((a) => positionOf.get(a.id) !== 0);
  const featured = all.filter((a) => a.isFeatured && a.image);
  const unpinned = all.filter((a) => !positionOf.has(a.id));
  const lead =
    pickedLead ?? featured.find((a) => !positionOf.has(a.id)) ?? unpinned.find((a) => a.image) ?? unpinned[0];
  const used = new Set<string>(lead ? [lead.id] : []);
  const take = (list: ArticleSummary[], n: number) => {
    const picked = list.filter((a) => !used.has(a.id)).slice(0, n);
    for (const a of picked) used.add(a.id);
    return picked;
  };
  const pinned = take(pickedTop, pickedTop.length);
  const top = [
    ...pinned,
    ...take([...featured, ...all.filter((a) => a.kind === "news")], Math.max(0, AUTOMATIC_TOP_STORIES - pinned.length)),
  ];
  const analysis = take(
    all.filter((a) => a.kind === "analysis"),
    4,
  );
  const opinion = take(
    all.filter((a) => a.kind === "opinion"),
    4,
  );
  // The latest rail is the paper's running order: its headlines may also appear under their sections.
  const latest = all.filter((a) => !used.has(a.id)).slice(0, 8);
  const bySection = sections
    .map((section) => ({
      section,
      articles: take(
        all.filter((a) => a.section.id === section.id),
        5,
      ),
    }))
    .filter((block) => block.articles.length > 0);
  return { lead, top, latest, analysis, opinion, bySection };
}
