/**
 * The migration that counts suggestion words rebuilds the list from what is published: a word left behind by an
 * article unpublished before it goes, and an article's vector gets its gated part at weight D, outside the rank
 * vector. Its objects are dropped and its record removed, so it runs again over a list written as before.
 */
import { sql } from "drizzle-orm";
import { describe, expect, test } from "vitest";
import { migrate, queryRows } from "../../src/db/index.js";
import { databaseKinds, openTestDatabase } from "../support/db.js";

const MIGRATION = "0023_rank_snippet_and_counted_words.sql";

describe.each(databaseKinds())("the counted search words migration on %s", (kind) => {
  test("a word only an unpublished article held leaves the list; published words are counted", async () => {
    const { database, close } = await openTestDatabase(kind);
    try {
      const { db } = database;
      await db.execute(sql`DROP TABLE article_search_words`);
      await db.execute(sql`DROP FUNCTION count_search_words()`);
      await db.execute(sql`ALTER TABLE search_words DROP COLUMN articles`);
      await db.execute(sql`ALTER TABLE articles DROP COLUMN rank_vector, DROP COLUMN snippet_text`);
      await db.execute(sql`DELETE FROM schema_migrations WHERE name = ${MIGRATION}`);
      await db.execute(sql`INSERT INTO sections (slug, name, position) VALUES ('politics', 'Politics', 1)`);
      for (const [slug, title, status] of [
        ["talks", "Talks resume in Baku", "published"],
        ["quay", "Talks on the quay", "published"],
        ["gone", "Flamingos leave the lagoon", "draft"],
      ]) {
        await db.execute(sql`
          INSERT INTO articles (slug, title, section_id, status, body_doc, preview_text, gated_text, gated_html,
                                access_level, published_at, search_vector)
          SELECT ${slug}, ${title}, id, ${status}, '{"type":"doc","content":[]}', 'Negotiators met.',
                 'A zeppelin clause.', '<p>A zeppelin clause.</p>', 'paid', now(), to_tsvector('english', ${title})
            FROM sections WHERE slug = 'politics'`);
      }
      // The list as it was: words of an article since unpublished stayed in it.
      await db.execute(sql`INSERT INTO search_words (word) VALUES ('talks'), ('flamingos'), ('lagoon')`);

      expect(await migrate(database)).toEqual({ applied: [MIGRATION] });
      const words = await queryRows<{ word: string; articles: number }>(
        db,
        sql`SELECT word, articles FROM search_words ORDER BY word`,
      );
      expect(words).toContainEqual({ word: "talks", articles: 2 });
      expect(words).toContainEqual({ word: "baku", articles: 1 });
      expect(words.map((w) => w.word)).not.toContain("flamingos");
      expect(words.map((w) => w.word)).not.toContain("zeppelin");
      const [vectors] = await queryRows<{ matched: boolean; ranked: boolean }>(
        db,
        sql`SELECT search_vector @@ to_tsquery('folded_english', 'zeppelin') AS matched,
                   rank_vector @@ to_tsquery('folded_english', 'zeppelin') AS ranked
              FROM articles WHERE slug = 'talks'`,
      );
      expect(vectors).toEqual({ matched: true, ranked: false });
    } finally {
      await close();
    }
  });
});
