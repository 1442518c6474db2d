CREATE TABLE "member_meter_reads" (
	"member_id" uuid NOT NULL,
	"month" text NOT NULL,
	"article_id" uuid NOT NULL,
	"read_at" timestamp with time zone NOT NULL,
	CONSTRAINT "member_meter_reads_member_id_month_article_id_pk" PRIMARY KEY("member_id","month","article_id")
);
--> statement-breakpoint
CREATE TABLE "paywall_counts" (
	"article_id" uuid NOT NULL,
	"day" date NOT NULL,
	"wall_views" integer DEFAULT 0 NOT NULL,
	"registrations" integer DEFAULT 0 NOT NULL,
	"subscriptions" integer DEFAULT 0 NOT NULL,
	CONSTRAINT "paywall_counts_article_id_day_pk" PRIMARY KEY("article_id","day")
);
--> statement-breakpoint
ALTER TABLE "sections" ADD COLUMN "default_access_level" text;--> statement-breakpoint
ALTER TABLE "sections" ADD COLUMN "default_metered" boolean DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE "site_settings" ADD COLUMN "anonymous_allowance" integer DEFAULT 3 NOT NULL;--> statement-breakpoint
ALTER TABLE "site_settings" ADD COLUMN "registered_allowance" integer DEFAULT 10 NOT NULL;--> statement-breakpoint
ALTER TABLE "site_settings" ADD COLUMN "kind_access_defaults" jsonb DEFAULT '{}'::jsonb NOT NULL;--> statement-breakpoint
ALTER TABLE "site_settings" ADD COLUMN "paywall_texts" jsonb DEFAULT '{}'::jsonb NOT NULL;--> statement-breakpoint
ALTER TABLE "member_meter_reads" ADD CONSTRAINT "member_meter_reads_member_id_members_id_fk" FOREIGN KEY ("member_id") REFERENCES "public"."members"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "sections" ADD CONSTRAINT "sections_default_access_check" CHECK ("sections"."default_access_level" IN ('public','registered','paid'));--> statement-breakpoint
ALTER TABLE "site_settings" ADD CONSTRAINT "site_settings_allowances_check" CHECK ("site_settings"."anonymous_allowance" BETWEEN 0 AND 50 AND "site_settings"."registered_allowance" BETWEEN 0 AND 50);