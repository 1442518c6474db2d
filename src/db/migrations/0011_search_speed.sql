ALTER TABLE "articles" ADD COLUMN "title_vector" "tsvector";--> statement-breakpoint
-- Search reads the vectors of many rows; kept in the row (compressed) rather than in TOAST, each read is one fetch.
ALTER TABLE "articles" ALTER COLUMN "search_vector" SET STORAGE MAIN;--> statement-breakpoint
ALTER TABLE "articles" ALTER COLUMN "title_vector" SET STORAGE MAIN;--> statement-breakpoint
-- The headline is what search_vector holds at weight A; rewriting search_vector moves stored values into the row.
UPDATE "articles" SET "title_vector" = ts_filter("search_vector", '{a}'), "search_vector" = "search_vector" || ''::tsvector WHERE "search_vector" IS NOT NULL;--> statement-breakpoint
CREATE INDEX "articles_title_search_idx" ON "articles" USING gin ("title_vector");--> statement-breakpoint
-- The planner chooses between walking the newest articles and reading the text indexes from these statistics.
ANALYZE "articles";
