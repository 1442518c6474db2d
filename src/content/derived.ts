/**
 * What is derived from an article when it is published or changed, so reading never computes it:
 * its full-text search vector and its related articles.
 */
import { type SQL, sql } from "drizzle-orm";
import { type Queryable, queryRows } from "../db/index.js";

const RELATED_COUNT = 6;

/**
 * PostgreSQL text-search configurations for the site languages it has stemmers for, others matching words as
 * typed; each with accents folded before stemming ("folded_…", made by the migration that added them).
 */
const SEARCH_CONFIGS: Record<string, string> = {
  en: "english",
  tr: "turkish",
  ru: "russian",
  de: "german",
  fr: "french",
  es: "spanish",
  it: "italian",
  pt: "portuguese",
  nl: "dutch",
};

export function searchConfigFor(language: string): string {
  return `folded_${SEARCH_CONFIGS[language.split("-")[0]?.toLowerCase() ?? ""] ?? "simple"}`;
}

async function siteSearchConfig(db: Queryable): Promise<string> {
  const [row] = await queryRows<{ language: string }>(db, sql`SELECT language FROM site_settings WHERE id = 1`);
  return searchConfigFor(row?.language ?? "en");
}

/**
 * The article's search vector (the SQL function article_search_vector: headline, dek and tags, the whole text and
 * authors), and its words any reader may read in the spelling suggestions' list.
 */
export async function refreshSearchVector(db: Queryable, id: string): Promise<void> {
  await writeSearchVectors(db, sql`a.id = ${id}`);
  await refreshSuggestionWords(db, id);
}

/**
 * The article's readable words as the suggestions count them: the words it holds while published, none once it
 * is not (a trigger moves search_words' counts, and drops a word no published article holds). Called in the
 * transaction that publishes, changes or unpublishes it.
 */
export async function refreshSuggestionWords(db: Queryable, id: string): Promise<void> {
  await db.execute(sql`
    DELETE FROM article_search_words
     WHERE article_id = ${id} AND NOT EXISTS (SELECT 1 FROM articles WHERE id = ${id} AND status = 'published')`);
  await writeSuggestionWords(db, sql`a.id = ${id}`);
}

async function writeSuggestionWords(db: Queryable, which: SQL): Promise<void> {
  await db.execute(sql`
    INSERT INTO article_search_words (article_id, words)
    SELECT a.id, ARRAY(SELECT w FROM readable_words(a.id) AS w ORDER BY w) FROM articles a
     WHERE ${which} AND a.status = 'published'
    ON CONFLICT (article_id) DO UPDATE SET words = excluded.words
     WHERE article_search_words.words IS DISTINCT FROM excluded.words`);
}

/**
 * The search vectors, and readable words, of the given articles (any status) again, after a name they hold
 * changed or went: a tag renamed or deleted (tags are in both), a byline renamed (in the vector). In the
 * change's transaction, so search finds them by the new name, and no longer by the old, as soon as it commits.
 */
export async function refreshSearchOf(db: Queryable, articleIds: readonly string[]): Promise<void> {
  if (articleIds.length === 0) return;
  const which = sql`a.id IN (${sql.join(
    articleIds.map((id) => sql`${id}::uuid`),
    sql`, `,
  )})`;
  await writeSearchVectors(db, which);
  await writeSuggestionWords(db, which);
}

/** Every article's vector again: after the site's language changes, words are stemmed in the new one. */
export async function refreshAllSearchVectors(db: Queryable): Promise<void> {
  await writeSearchVectors(db, sql`true`);
}

async function writeSearchVectors(db: Queryable, which: SQL): Promise<void> {
  const config = await siteSearchConfig(db);
  await db.execute(
    sql`UPDATE articles a SET search_vector = article_search_vector(a.id, ${config}::regconfig) WHERE ${which}`,
  );
}

/**
 * Chooses an article's related articles: shared tags weigh most, then text similarity of the headline, the
 * same section, and recency. Returns the ids chosen, whose own lists the caller may refresh in turn.
 */
export async function chooseRelated(db: Queryable, id: string): Promise<string[]> {
  const config = await siteSearchConfig(db);
  const chosen = await queryRows<{ id: string }>(
    db,
    sql`WITH me AS (
          SELECT a.id, a.section_id, a.published_at,
                 (SELECT to_tsquery(${config}::regconfig, string_agg(quote_literal(lexeme), ' | '))
                    FROM unnest(to_tsvector(${config}::regconfig, search_fold(a.title || ' ' || a.dek)))) AS words
            FROM articles a WHERE a.id = ${id})
        SELECT c.id
          FROM articles c, me
         WHERE c.status = 'published' AND c.id <> me.id
         ORDER BY
             3 * (SELECT count(*) FROM article_tags x JOIN article_tags y ON y.tag_id = x.tag_id
                   WHERE x.article_id = c.id AND y.article_id = me.id)
           + CASE WHEN me.words IS NULL OR c.rank_vector IS NULL THEN 0 ELSE 8 * ts_rank(c.rank_vector, me.words) END
           + CASE WHEN c.section_id = me.section_id THEN 1.5 ELSE 0 END
           + 1.0 / (1 + abs(extract(epoch FROM (coalesce(me.published_at, now()) - c.published_at))) / 604800)
           DESC, c.published_at DESC
         LIMIT ${RELATED_COUNT}`,
  );
  await db.execute(sql`DELETE FROM related_articles WHERE article_id = ${id}`);
  if (chosen.length) {
    const rows = chosen.map((row, position) => sql`(${id}, ${row.id}, ${position})`);
    await db.execute(
      sql`INSERT INTO related_articles (article_id, related_id, position) VALUES ${sql.join(rows, sql`, `)}`,
    );
  }
  return chosen.map((r) => r.id);
}
