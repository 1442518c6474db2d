CREATE TABLE "attempts" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"scope" text NOT NULL,
	"key_hash" text NOT NULL,
	"at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE INDEX "attempts_scope_key_at" ON "attempts" USING btree ("scope","key_hash","at");--> statement-breakpoint
CREATE INDEX "attempts_at" ON "attempts" USING btree ("at");