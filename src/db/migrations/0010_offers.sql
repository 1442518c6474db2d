CREATE TABLE "offer_redemptions" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"offer_id" uuid NOT NULL,
	"member_id" uuid,
	"status" text NOT NULL,
	"checkout_session_id" text,
	"stripe_subscription_id" text,
	"held_until" timestamp with time zone,
	"created_at" timestamp with time zone NOT NULL,
	"redeemed_at" timestamp with time zone,
	CONSTRAINT "offer_redemptions_checkout_session_id_unique" UNIQUE("checkout_session_id"),
	CONSTRAINT "offer_redemptions_stripe_subscription_id_unique" UNIQUE("stripe_subscription_id"),
	CONSTRAINT "offer_redemptions_status_check" CHECK ("offer_redemptions"."status" IN ('reserved','redeemed'))
);
--> statement-breakpoint
CREATE TABLE "offers" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"code" text NOT NULL,
	"name" text NOT NULL,
	"percent_off" integer,
	"amount_off" integer,
	"currency" text NOT NULL,
	"duration" text NOT NULL,
	"duration_in_months" integer,
	"applies_to" text DEFAULT 'both' NOT NULL,
	"max_redemptions" integer,
	"expires_at" timestamp with time zone,
	"status" text DEFAULT 'active' NOT NULL,
	"is_default" boolean DEFAULT false NOT NULL,
	"stripe_coupon_id" text,
	"created_at" timestamp with time zone NOT NULL,
	"updated_at" timestamp with time zone NOT NULL,
	CONSTRAINT "offers_discount_check" CHECK (("offers"."percent_off" BETWEEN 1 AND 100 AND "offers"."amount_off" IS NULL) OR ("offers"."amount_off" > 0 AND "offers"."percent_off" IS NULL)),
	CONSTRAINT "offers_duration_check" CHECK ("offers"."duration" IN ('once','repeating','forever') AND ("offers"."duration" = 'repeating') = ("offers"."duration_in_months" IS NOT NULL) AND ("offers"."duration_in_months" IS NULL OR "offers"."duration_in_months" BETWEEN 1 AND 36)),
	CONSTRAINT "offers_applies_to_check" CHECK ("offers"."applies_to" IN ('month','year','both')),
	CONSTRAINT "offers_status_check" CHECK ("offers"."status" IN ('active','inactive','archived')),
	CONSTRAINT "offers_max_redemptions_check" CHECK ("offers"."max_redemptions" IS NULL OR "offers"."max_redemptions" > 0)
);
--> statement-breakpoint
ALTER TABLE "stripe_events" ADD COLUMN "member_id" uuid;--> statement-breakpoint
ALTER TABLE "stripe_events" ADD COLUMN "stripe_subscription_id" text;--> statement-breakpoint
ALTER TABLE "subscriptions" ADD COLUMN "amount" integer;--> statement-breakpoint
ALTER TABLE "subscriptions" ADD COLUMN "currency" text;--> statement-breakpoint
ALTER TABLE "subscriptions" ADD COLUMN "current_period_start" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "offer_redemptions" ADD CONSTRAINT "offer_redemptions_offer_id_offers_id_fk" FOREIGN KEY ("offer_id") REFERENCES "public"."offers"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "offer_redemptions" ADD CONSTRAINT "offer_redemptions_member_id_members_id_fk" FOREIGN KEY ("member_id") REFERENCES "public"."members"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "offer_redemptions_offer_idx" ON "offer_redemptions" USING btree ("offer_id","status");--> statement-breakpoint
CREATE UNIQUE INDEX "offers_code_key" ON "offers" USING btree (lower("code"));--> statement-breakpoint
CREATE UNIQUE INDEX "offers_one_default" ON "offers" USING btree ("is_default") WHERE "offers"."is_default";--> statement-breakpoint
ALTER TABLE "stripe_events" ADD CONSTRAINT "stripe_events_member_id_members_id_fk" FOREIGN KEY ("member_id") REFERENCES "public"."members"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "stripe_events_member_idx" ON "stripe_events" USING btree ("member_id","received_at");