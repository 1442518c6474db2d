ALTER TABLE "newsletter_sends" ADD COLUMN "withdrawn" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "newsletter_sends" ADD COLUMN "cancelled_by" uuid;--> statement-breakpoint
CREATE INDEX "jobs_key_prefix_idx" ON "jobs" USING btree ("key" text_pattern_ops);