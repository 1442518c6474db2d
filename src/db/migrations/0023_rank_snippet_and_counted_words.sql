-- Search matches on the whole article but ranks on its small part and highlights a bounded text: the gated part
-- moves to weight D, so rank_vector (A, B, C) is the vector without it.
CREATE OR REPLACE FUNCTION "article_search_vector"(article uuid, config regconfig) RETURNS tsvector LANGUAGE sql STABLE AS $$
  SELECT setweight(to_tsvector(config, search_fold(a.title)), 'A')
      || setweight(to_tsvector(config, search_fold(a.dek || ' ' || coalesce(
           (SELECT string_agg(t.name, ' ') FROM article_tags at JOIN tags t ON t.id = at.tag_id WHERE at.article_id = a.id), ''))), 'B')
      || setweight(to_tsvector(config, search_fold(a.preview_text)), 'C')
      || setweight(to_tsvector(config, search_fold(a.gated_text)), 'D')
      || setweight(to_tsvector(config, search_fold(coalesce(
           (SELECT string_agg(s.name, ' ') FROM article_authors aa JOIN staff s ON s.id = aa.staff_id WHERE aa.article_id = a.id), ''))), 'C')
    FROM articles a WHERE a.id = article
$$;--> statement-breakpoint
ALTER TABLE "articles" ADD COLUMN "rank_vector" "tsvector" GENERATED ALWAYS AS (ts_filter(search_vector, '{a,b,c}')) STORED;--> statement-breakpoint
ALTER TABLE "articles" ADD COLUMN "snippet_text" text GENERATED ALWAYS AS (left(dek || ' ' || preview_text || ' ' || gated_text, 2000)) STORED;--> statement-breakpoint
-- Existing vectors again, with the gated part at D, in the site language's folded configuration.
UPDATE "articles" SET "search_vector" = article_search_vector("id", coalesce((
  SELECT CASE split_part(lower(language), '-', 1)
           WHEN 'en' THEN 'folded_english'
           WHEN 'tr' THEN 'folded_turkish'
           WHEN 'ru' THEN 'folded_russian'
           WHEN 'de' THEN 'folded_german'
           WHEN 'fr' THEN 'folded_french'
           WHEN 'es' THEN 'folded_spanish'
           WHEN 'it' THEN 'folded_italian'
           WHEN 'pt' THEN 'folded_portuguese'
           WHEN 'nl' THEN 'folded_dutch'
           ELSE 'folded_simple' END
    FROM site_settings WHERE id = 1), 'folded_english')::regconfig)
 WHERE "search_vector" IS NOT NULL;--> statement-breakpoint

-- Suggestions follow what is published: each published article's readable words, and per word the number of
-- articles holding it. The list is rebuilt from the articles, so words of articles taken down before go too.
CREATE TABLE "article_search_words" (
	"article_id" uuid PRIMARY KEY NOT NULL,
	"words" text[] NOT NULL
);
--> statement-breakpoint
ALTER TABLE "article_search_words" ADD CONSTRAINT "article_search_words_article_id_articles_id_fk" FOREIGN KEY ("article_id") REFERENCES "public"."articles"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "search_words" ADD COLUMN "articles" integer DEFAULT 1 NOT NULL;--> statement-breakpoint
DELETE FROM "search_words";--> statement-breakpoint
INSERT INTO "article_search_words" ("article_id", "words")
SELECT a.id, ARRAY(SELECT w FROM readable_words(a.id) AS w ORDER BY w) FROM "articles" a WHERE a.status = 'published';--> statement-breakpoint
INSERT INTO "search_words" ("word", "articles")
SELECT w, count(*) FROM "article_search_words", unnest("words") AS w GROUP BY w;--> statement-breakpoint
-- A changed list moves the counts by the words it gained and lost; a word no article holds is deleted. One
-- writer at a time (a transaction-long advisory lock), so two publications never wait on each other's words.
CREATE FUNCTION "count_search_words"() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  before text[] := CASE WHEN TG_OP = 'INSERT' THEN '{}'::text[] ELSE OLD.words END;
  after text[] := CASE WHEN TG_OP = 'DELETE' THEN '{}'::text[] ELSE NEW.words END;
  lost text[] := ARRAY(SELECT unnest(before) EXCEPT SELECT unnest(after));
  gained text[] := ARRAY(SELECT unnest(after) EXCEPT SELECT unnest(before));
BEGIN
  IF cardinality(lost) = 0 AND cardinality(gained) = 0 THEN RETURN NULL; END IF;
  PERFORM pg_advisory_xact_lock(hashtextextended('search_words', 0));
  UPDATE search_words s SET articles = s.articles - 1 WHERE s.word = ANY(lost);
  DELETE FROM search_words s WHERE s.word = ANY(lost) AND s.articles <= 0;
  INSERT INTO search_words (word, articles) SELECT w, 1 FROM unnest(gained) AS w
    ON CONFLICT (word) DO UPDATE SET articles = search_words.articles + 1;
  RETURN NULL;
END
$$;--> statement-breakpoint
CREATE TRIGGER "article_search_words_count" AFTER INSERT OR UPDATE OR DELETE ON "article_search_words"
  FOR EACH ROW EXECUTE FUNCTION count_search_words();--> statement-breakpoint
ANALYZE "articles";--> statement-breakpoint
ANALYZE "search_words";
