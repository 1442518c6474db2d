-- Search over the whole article, folded: "Baki" finds "Bakı". PGlite loads both extensions in its thread
-- (db/pglite-worker.ts); a PostgreSQL server has them in contrib.
CREATE EXTENSION IF NOT EXISTS unaccent;--> statement-breakpoint
CREATE EXTENSION IF NOT EXISTS pg_trgm;--> statement-breakpoint
-- Text as search compares it: lower case, accents off. The Azerbaijani schwa has no decomposition, so unaccent
-- keeps it; readers type "a" ("Zangazur" for "Zəngəzur"). unaccent() itself is only STABLE (its dictionary could
-- change); this wrapper names the dictionary, so it can be IMMUTABLE and indexed.
CREATE FUNCTION "search_fold"(t text) RETURNS text LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT AS $$
  SELECT public.unaccent('public.unaccent'::regdictionary, translate(lower(t), 'əƏ', 'aa'))
$$;--> statement-breakpoint
-- Each site language's configuration with accents folded before stemming, so ts_headline, which parses the
-- original text, marks "Bakı" for a search for "Baki".
CREATE TEXT SEARCH CONFIGURATION "folded_english" (COPY = pg_catalog.english);--> statement-breakpoint
ALTER TEXT SEARCH CONFIGURATION "folded_english" ALTER MAPPING FOR hword, hword_part, word WITH unaccent, english_stem;--> statement-breakpoint
CREATE TEXT SEARCH CONFIGURATION "folded_turkish" (COPY = pg_catalog.turkish);--> statement-breakpoint
ALTER TEXT SEARCH CONFIGURATION "folded_turkish" ALTER MAPPING FOR hword, hword_part, word WITH unaccent, turkish_stem;--> statement-breakpoint
CREATE TEXT SEARCH CONFIGURATION "folded_russian" (COPY = pg_catalog.russian);--> statement-breakpoint
ALTER TEXT SEARCH CONFIGURATION "folded_russian" ALTER MAPPING FOR hword, hword_part, word WITH unaccent, russian_stem;--> statement-breakpoint
CREATE TEXT SEARCH CONFIGURATION "folded_german" (COPY = pg_catalog.german);--> statement-breakpoint
ALTER TEXT SEARCH CONFIGURATION "folded_german" ALTER MAPPING FOR hword, hword_part, word WITH unaccent, german_stem;--> statement-breakpoint
CREATE TEXT SEARCH CONFIGURATION "folded_french" (COPY = pg_catalog.french);--> statement-breakpoint
ALTER TEXT SEARCH CONFIGURATION "folded_french" ALTER MAPPING FOR hword, hword_part, word WITH unaccent, french_stem;--> statement-breakpoint
CREATE TEXT SEARCH CONFIGURATION "folded_spanish" (COPY = pg_catalog.spanish);--> statement-breakpoint
ALTER TEXT SEARCH CONFIGURATION "folded_spanish" ALTER MAPPING FOR hword, hword_part, word WITH unaccent, spanish_stem;--> statement-breakpoint
CREATE TEXT SEARCH CONFIGURATION "folded_italian" (COPY = pg_catalog.italian);--> statement-breakpoint
ALTER TEXT SEARCH CONFIGURATION "folded_italian" ALTER MAPPING FOR hword, hword_part, word WITH unaccent, italian_stem;--> statement-breakpoint
CREATE TEXT SEARCH CONFIGURATION "folded_portuguese" (COPY = pg_catalog.portuguese);--> statement-breakpoint
ALTER TEXT SEARCH CONFIGURATION "folded_portuguese" ALTER MAPPING FOR hword, hword_part, word WITH unaccent, portuguese_stem;--> statement-breakpoint
CREATE TEXT SEARCH CONFIGURATION "folded_dutch" (COPY = pg_catalog.dutch);--> statement-breakpoint
ALTER TEXT SEARCH CONFIGURATION "folded_dutch" ALTER MAPPING FOR hword, hword_part, word WITH unaccent, dutch_stem;--> statement-breakpoint
CREATE TEXT SEARCH CONFIGURATION "folded_simple" (COPY = pg_catalog.simple);--> statement-breakpoint
ALTER TEXT SEARCH CONFIGURATION "folded_simple" ALTER MAPPING FOR hword, hword_part, word WITH unaccent, simple;--> statement-breakpoint

-- An article's search vector: headline (A), dek and tags (B), the whole text and the authors (C).
CREATE FUNCTION "article_search_vector"(article uuid, config regconfig) RETURNS tsvector LANGUAGE sql STABLE AS $$
  SELECT setweight(to_tsvector(config, search_fold(a.title)), 'A')
      || setweight(to_tsvector(config, search_fold(a.dek || ' ' || coalesce(
           (SELECT string_agg(t.name, ' ') FROM article_tags at JOIN tags t ON t.id = at.tag_id WHERE at.article_id = a.id), ''))), 'B')
      || setweight(to_tsvector(config, search_fold(a.preview_text || ' ' || a.gated_text)), 'C')
      || setweight(to_tsvector(config, search_fold(coalesce(
           (SELECT string_agg(s.name, ' ') FROM article_authors aa JOIN staff s ON s.id = aa.staff_id WHERE aa.article_id = a.id), ''))), 'C')
    FROM articles a WHERE a.id = article
$$;--> statement-breakpoint
-- The words of a published article that any reader may read: headline, dek, tags, preview, and the gated part
-- only when the article is public. Spelling suggestions come from these alone.
CREATE FUNCTION "readable_words"(article uuid) RETURNS SETOF text LANGUAGE sql STABLE AS $$
  SELECT DISTINCT w.lexeme
    FROM articles a,
         unnest(to_tsvector('simple', a.title || ' ' || a.dek || ' ' || a.preview_text
           || CASE WHEN a.access_level = 'public' THEN ' ' || a.gated_text ELSE '' END || ' ' || coalesce(
             (SELECT string_agg(t.name, ' ') FROM article_tags at JOIN tags t ON t.id = at.tag_id WHERE at.article_id = a.id), ''))) AS w
   WHERE a.id = article AND a.status = 'published' AND length(w.lexeme) BETWEEN 3 AND 40 AND w.lexeme !~ '[0-9_]'
$$;--> statement-breakpoint
CREATE TABLE "search_words" (
	"word" text PRIMARY KEY NOT NULL
);
--> statement-breakpoint
CREATE INDEX "search_words_trgm_idx" ON "search_words" USING gin (search_fold("word") gin_trgm_ops);--> statement-breakpoint
INSERT INTO "search_words" SELECT readable_words(a.id) FROM "articles" a WHERE a.status = 'published' ON CONFLICT DO NOTHING;--> statement-breakpoint
-- Existing articles' vectors again, now with their whole text, in the site language's folded configuration.
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
    FROM site_settings WHERE id = 1), 'folded_english')::regconfig);--> statement-breakpoint
ANALYZE "articles";--> statement-breakpoint
ANALYZE "search_words";
