ALTER TABLE "members" ADD COLUMN "paid_access" text;--> statement-breakpoint
ALTER TABLE "members" ADD COLUMN "paid_access_until" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "members" ADD CONSTRAINT "members_paid_access_check" CHECK ("members"."paid_access" IN ('subscriber','complimentary'));