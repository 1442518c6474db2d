-- Search reads the vectors of many rows; kept in the row (compressed) rather than in TOAST, each read is one
-- fetch. Set before the column below is added, whose rewrite of the table stores every row this way.
ALTER TABLE "articles" ALTER COLUMN "search_vector" SET STORAGE MAIN;--> statement-breakpoint
ALTER TABLE "articles" ADD COLUMN "title_vector" "tsvector" GENERATED ALWAYS AS (ts_filter(search_vector, '{a}')) STORED;--> statement-breakpoint
ALTER TABLE "articles" ALTER COLUMN "title_vector" SET STORAGE MAIN;--> statement-breakpoint
CREATE INDEX "articles_title_search_idx" ON "articles" USING gin ("title_vector");--> statement-breakpoint
-- The planner chooses between walking the newest articles and reading the text indexes from these statistics.
ANALYZE "articles";
