CREATE TABLE "billing_customers" (
	"member_id" uuid PRIMARY KEY NOT NULL,
	"stripe_customer_id" text NOT NULL,
	CONSTRAINT "billing_customers_stripe_customer_id_unique" UNIQUE("stripe_customer_id")
);
--> statement-breakpoint
CREATE TABLE "billing_plan" (
	"id" integer PRIMARY KEY DEFAULT 1 NOT NULL,
	"name" text DEFAULT 'Digital access' NOT NULL,
	"includes" text DEFAULT 'Full digital access to all news, analysis and more.' NOT NULL,
	"monthly_amount" integer DEFAULT 499 NOT NULL,
	"yearly_amount" integer DEFAULT 4999,
	"trial_days" integer DEFAULT 0 NOT NULL,
	"grace_days" integer DEFAULT 7 NOT NULL,
	"stripe_product_id" text,
	"stripe_monthly_price_id" text,
	"stripe_yearly_price_id" text,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "billing_plan_single_row" CHECK ("billing_plan"."id" = 1),
	CONSTRAINT "billing_plan_amounts_check" CHECK ("billing_plan"."monthly_amount" > 0 AND ("billing_plan"."yearly_amount" IS NULL OR "billing_plan"."yearly_amount" > 0)),
	CONSTRAINT "billing_plan_days_check" CHECK ("billing_plan"."trial_days" BETWEEN 0 AND 365 AND "billing_plan"."grace_days" BETWEEN 0 AND 60)
);
--> statement-breakpoint
CREATE TABLE "complimentary_grants" (
	"member_id" uuid PRIMARY KEY NOT NULL,
	"until" timestamp with time zone,
	"note" text DEFAULT '' NOT NULL,
	"granted_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "stripe_events" (
	"id" text PRIMARY KEY NOT NULL,
	"type" text NOT NULL,
	"received_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "subscriptions" (
	"stripe_subscription_id" text PRIMARY KEY NOT NULL,
	"member_id" uuid NOT NULL,
	"status" text NOT NULL,
	"interval" text,
	"current_period_end" timestamp with time zone,
	"cancel_at_period_end" boolean DEFAULT false NOT NULL,
	"past_due_since" timestamp with time zone,
	"ended_at" timestamp with time zone,
	"created_at" timestamp with time zone NOT NULL,
	"updated_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
ALTER TABLE "billing_customers" ADD CONSTRAINT "billing_customers_member_id_members_id_fk" FOREIGN KEY ("member_id") REFERENCES "public"."members"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "complimentary_grants" ADD CONSTRAINT "complimentary_grants_member_id_members_id_fk" FOREIGN KEY ("member_id") REFERENCES "public"."members"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "subscriptions" ADD CONSTRAINT "subscriptions_member_id_members_id_fk" FOREIGN KEY ("member_id") REFERENCES "public"."members"("id") ON DELETE cascade ON UPDATE no action;