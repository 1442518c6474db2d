CREATE TABLE "article_create_keys" (
	"staff_id" uuid NOT NULL,
	"key" text NOT NULL,
	"request_hash" text NOT NULL,
	"article_id" uuid,
	"response" text,
	"created_at" timestamp with time zone NOT NULL,
	CONSTRAINT "article_create_keys_staff_id_key_pk" PRIMARY KEY("staff_id","key")
);
