CREATE TABLE "newsletter_sends" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"newsletter_id" uuid NOT NULL,
	"article_id" uuid NOT NULL,
	"sent_by" uuid,
	"status" text NOT NULL,
	"queued" integer DEFAULT 0 NOT NULL,
	"created_at" timestamp with time zone NOT NULL,
	"finished_at" timestamp with time zone,
	CONSTRAINT "newsletter_sends_status_check" CHECK ("newsletter_sends"."status" IN ('queued','sending','sent'))
);
--> statement-breakpoint
CREATE TABLE "newsletter_subscriptions" (
	"newsletter_id" uuid NOT NULL,
	"member_id" uuid NOT NULL,
	"is_subscribed" boolean NOT NULL,
	"source" text NOT NULL,
	"changed_at" timestamp with time zone NOT NULL,
	CONSTRAINT "newsletter_subscriptions_newsletter_id_member_id_pk" PRIMARY KEY("newsletter_id","member_id")
);
--> statement-breakpoint
CREATE TABLE "newsletters" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"slug" text NOT NULL,
	"name" text NOT NULL,
	"description" text DEFAULT '' NOT NULL,
	"sender_name" text,
	"sender_email" text,
	"reply_to" text,
	"visibility" text DEFAULT 'free' NOT NULL,
	"is_default" boolean DEFAULT false NOT NULL,
	"cadence" text DEFAULT 'manual' NOT NULL,
	"send_hour" integer,
	"send_weekday" integer,
	"status" text DEFAULT 'active' NOT NULL,
	"sort_order" integer DEFAULT 0 NOT NULL,
	"created_at" timestamp with time zone NOT NULL,
	"updated_at" timestamp with time zone NOT NULL,
	CONSTRAINT "newsletters_slug_unique" UNIQUE("slug"),
	CONSTRAINT "newsletters_visibility_check" CHECK ("newsletters"."visibility" IN ('free','paid')),
	CONSTRAINT "newsletters_cadence_check" CHECK ("newsletters"."cadence" IN ('per-article','daily','weekly','manual')),
	CONSTRAINT "newsletters_status_check" CHECK ("newsletters"."status" IN ('active','archived')),
	CONSTRAINT "newsletters_send_hour_check" CHECK ("newsletters"."send_hour" IS NULL OR "newsletters"."send_hour" BETWEEN 0 AND 23),
	CONSTRAINT "newsletters_send_weekday_check" CHECK ("newsletters"."send_weekday" IS NULL OR "newsletters"."send_weekday" BETWEEN 0 AND 6)
);
--> statement-breakpoint
ALTER TABLE "newsletter_sends" ADD CONSTRAINT "newsletter_sends_newsletter_id_newsletters_id_fk" FOREIGN KEY ("newsletter_id") REFERENCES "public"."newsletters"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "newsletter_subscriptions" ADD CONSTRAINT "newsletter_subscriptions_newsletter_id_newsletters_id_fk" FOREIGN KEY ("newsletter_id") REFERENCES "public"."newsletters"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "newsletter_subscriptions" ADD CONSTRAINT "newsletter_subscriptions_member_id_members_id_fk" FOREIGN KEY ("member_id") REFERENCES "public"."members"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "newsletter_sends_newsletter_article_key" ON "newsletter_sends" USING btree ("newsletter_id","article_id");--> statement-breakpoint
CREATE INDEX "newsletter_subscriptions_member_idx" ON "newsletter_subscriptions" USING btree ("member_id");