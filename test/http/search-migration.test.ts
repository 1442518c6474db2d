/**
 * The migration to whole-article search re-derives the vectors of articles already there, and fills the
 * suggestions' word list with their readable words only. Its objects are dropped and its record removed, so the
 * migration runs again over an article whose vector was written as before (headline and preview alone).
 */
import { sql } from "drizzle-orm";
import { describe, expect, test } from "vitest";
import { migrate, queryRows } from "../../src/db/index.js";
import { databaseKinds, openTestDatabase } from "../support/db.js";

const MIGRATION = "0019_whole_article_search.sql";
const LANGUAGES = ["english", "turkish", "russian", "german", "french", "spanish", "italian", "portuguese", "dutch"];

describe.each(databaseKinds())("the whole-article search migration on %s", (kind) => {
  test("an article written before it is found by its gated words after it; suggestions skip them", async () => {
    const { database, close } = await openTestDatabase(kind);
    try {
      const { db } = database;
      await db.execute(sql`DROP TABLE search_words`);
      await db.execute(sql`DROP FUNCTION readable_words(uuid)`);
      await db.execute(sql`DROP FUNCTION article_search_vector(uuid, regconfig)`);
      await db.execute(sql`DROP FUNCTION search_fold(text)`);
      for (const name of [...LANGUAGES, "simple"]) {
        await db.execute(sql.raw(`DROP TEXT SEARCH CONFIGURATION folded_${name}`));
      }
      await db.execute(sql`DELETE FROM schema_migrations WHERE name = ${MIGRATION}`);
      await db.execute(sql`INSERT INTO sections (slug, name, position) VALUES ('politics', 'Politics', 1)`);
      await db.execute(sql`
        INSERT INTO articles (slug, title, section_id, status, body_doc, preview_text, gated_text, gated_html,
                              access_level, published_at, search_vector)
        SELECT 'talks', 'Talks resume', id, 'published', '{"type":"doc","content":[]}', 'Negotiators met in Bakı.',
               'A zeppelin clause funds the museum.', '<p>A zeppelin clause funds the museum.</p>', 'paid', now(),
               setweight(to_tsvector('english', 'Talks resume'), 'A')
                 || setweight(to_tsvector('english', 'Negotiators met in Bakı.'), 'D')
          FROM sections WHERE slug = 'politics'`);

      expect(await migrate(database)).toEqual({ applied: [MIGRATION] });
      const [found] = await queryRows<{ gated: boolean; folded: boolean }>(
        db,
        sql`SELECT search_vector @@ to_tsquery('folded_english', 'zeppelin') AS gated,
                   search_vector @@ to_tsquery('folded_english', search_fold('Baki')) AS folded
              FROM articles WHERE slug = 'talks'`,
      );
      expect(found).toEqual({ gated: true, folded: true });
      const words = await queryRows<{ word: string }>(db, sql`SELECT word FROM search_words ORDER BY word`);
      expect(words.map((w) => w.word)).toEqual(expect.arrayContaining(["negotiators", "talks"]));
      expect(words.map((w) => w.word)).not.toContain("zeppelin");
    } finally {
      await close();
    }
  });
});
