ALTER TABLE "articles" ADD COLUMN "source_name" text;--> statement-breakpoint
ALTER TABLE "articles" ADD COLUMN "source_url" text;