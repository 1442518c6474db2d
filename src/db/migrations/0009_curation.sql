CREATE TABLE "breaking_news" (
	"id" integer PRIMARY KEY DEFAULT 1 NOT NULL,
	"text" text NOT NULL,
	"url" text,
	"expires_at" timestamp with time zone NOT NULL,
	"updated_by" uuid,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "breaking_news_single_row" CHECK ("breaking_news"."id" = 1)
);
--> statement-breakpoint
CREATE TABLE "home_picks" (
	"position" integer PRIMARY KEY NOT NULL,
	"article_id" uuid NOT NULL,
	CONSTRAINT "home_picks_position_check" CHECK ("home_picks"."position" BETWEEN 0 AND 100)
);
--> statement-breakpoint
ALTER TABLE "sections" ADD COLUMN "archived_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "site_settings" ADD COLUMN "instagram_handle" text;--> statement-breakpoint
ALTER TABLE "site_settings" ADD COLUMN "mastodon_handle" text;--> statement-breakpoint
ALTER TABLE "site_settings" ADD COLUMN "navigation" jsonb DEFAULT '[]'::jsonb NOT NULL;--> statement-breakpoint
ALTER TABLE "site_settings" ADD COLUMN "footer_links" jsonb DEFAULT '[]'::jsonb NOT NULL;--> statement-breakpoint
ALTER TABLE "staff" ADD COLUMN "deactivated_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "breaking_news" ADD CONSTRAINT "breaking_news_updated_by_staff_id_fk" FOREIGN KEY ("updated_by") REFERENCES "public"."staff"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "home_picks" ADD CONSTRAINT "home_picks_article_id_articles_id_fk" FOREIGN KEY ("article_id") REFERENCES "public"."articles"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "home_picks_article_key" ON "home_picks" USING btree ("article_id");--> statement-breakpoint
ALTER TABLE "articles" DROP COLUMN "is_breaking";