ALTER TABLE "newsletter_sends" DROP CONSTRAINT "newsletter_sends_status_check";--> statement-breakpoint
ALTER TABLE "newsletter_sends" ALTER COLUMN "article_id" DROP NOT NULL;--> statement-breakpoint
ALTER TABLE "newsletter_sends" ADD COLUMN "kind" text DEFAULT 'article' NOT NULL;--> statement-breakpoint
ALTER TABLE "newsletter_sends" ADD COLUMN "period" text;--> statement-breakpoint
ALTER TABLE "newsletter_sends" ADD COLUMN "digest_article_ids" jsonb;--> statement-breakpoint
ALTER TABLE "newsletter_sends" ADD COLUMN "covers_from" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "newsletter_sends" ADD COLUMN "covers_to" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "newsletter_sends" ADD COLUMN "withdrawn" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "newsletter_sends" ADD COLUMN "cancelled_by" uuid;--> statement-breakpoint
CREATE INDEX "jobs_key_prefix_idx" ON "jobs" USING btree ("key" text_pattern_ops);--> statement-breakpoint
CREATE UNIQUE INDEX "newsletter_sends_newsletter_period_key" ON "newsletter_sends" USING btree ("newsletter_id","period");--> statement-breakpoint
CREATE INDEX "newsletter_sends_newsletter_created_idx" ON "newsletter_sends" USING btree ("newsletter_id","created_at");--> statement-breakpoint
ALTER TABLE "newsletter_sends" ADD CONSTRAINT "newsletter_sends_kind_check" CHECK ("newsletter_sends"."kind" IN ('article','digest'));--> statement-breakpoint
ALTER TABLE "newsletter_sends" ADD CONSTRAINT "newsletter_sends_kind_fields_check" CHECK (("newsletter_sends"."kind" = 'article' AND "newsletter_sends"."article_id" IS NOT NULL) OR ("newsletter_sends"."kind" = 'digest' AND "newsletter_sends"."period" IS NOT NULL));--> statement-breakpoint
ALTER TABLE "newsletter_sends" ADD CONSTRAINT "newsletter_sends_status_check" CHECK ("newsletter_sends"."status" IN ('queued','sending','sent','empty','cancelled'));