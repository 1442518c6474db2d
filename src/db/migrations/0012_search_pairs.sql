-- Every pair of stems at neighbouring positions of a search vector, as "first second". A phrase's own pairs are
-- all in the vector of any article holding the phrase, so the pairs index narrows a phrase search to the few
-- articles that can match before their positions are checked. Positions only: words a stop word apart are not
-- paired, and such phrases are searched as before.
CREATE FUNCTION "adjacent_word_pairs"(v tsvector) RETURNS text[] LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT coalesce(array_agg(DISTINCT first.lexeme || ' ' || second.lexeme), '{}')
    FROM (SELECT lexeme, unnest(positions) AS position FROM unnest(v)) AS first
    JOIN (SELECT lexeme, unnest(positions) AS position FROM unnest(v)) AS second
      ON second.position = first.position + 1
$$;--> statement-breakpoint
ALTER TABLE "articles" ADD COLUMN "search_pairs" text[] GENERATED ALWAYS AS (adjacent_word_pairs(search_vector)) STORED;--> statement-breakpoint
CREATE INDEX "articles_search_pairs_idx" ON "articles" USING gin ("search_pairs");--> statement-breakpoint
ANALYZE "articles";
