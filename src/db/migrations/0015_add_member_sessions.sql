CREATE TABLE "member_sessions" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"member_id" uuid NOT NULL,
	"signed_in_at" timestamp with time zone NOT NULL,
	"renewed_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
ALTER TABLE "member_tokens" DROP CONSTRAINT "member_tokens_purpose_check";--> statement-breakpoint
ALTER TABLE "member_tokens" ADD COLUMN "session_id" uuid;--> statement-breakpoint
ALTER TABLE "member_sessions" ADD CONSTRAINT "member_sessions_member_id_members_id_fk" FOREIGN KEY ("member_id") REFERENCES "public"."members"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "member_sessions_member_idx" ON "member_sessions" USING btree ("member_id");--> statement-breakpoint
CREATE INDEX "member_sessions_renewed_idx" ON "member_sessions" USING btree ("renewed_at");--> statement-breakpoint
ALTER TABLE "member_tokens" ADD CONSTRAINT "member_tokens_session_id_member_sessions_id_fk" FOREIGN KEY ("session_id") REFERENCES "public"."member_sessions"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "member_tokens_session_idx" ON "member_tokens" USING btree ("session_id");--> statement-breakpoint
ALTER TABLE "members" DROP COLUMN "session_version";--> statement-breakpoint
ALTER TABLE "member_tokens" ADD CONSTRAINT "member_tokens_purpose_check" CHECK ("member_tokens"."purpose" IN ('sign-in','email-change','email-undo'));