CREATE TABLE "article_reads" (
	"article_id" uuid NOT NULL,
	"hour" timestamp with time zone NOT NULL,
	"reads" integer DEFAULT 0 NOT NULL,
	CONSTRAINT "article_reads_article_id_hour_pk" PRIMARY KEY("article_id","hour")
);
--> statement-breakpoint
CREATE INDEX "article_reads_hour_idx" ON "article_reads" USING btree ("hour");