CREATE TABLE "service_keys" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"name" text NOT NULL,
	"key_hash" text NOT NULL,
	"key_prefix" text NOT NULL,
	"scopes" text[] NOT NULL,
	"created_by_user_id" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"revoked_at" timestamp with time zone,
	CONSTRAINT "service_keys_key_hash_key" UNIQUE("key_hash")
);
--> statement-breakpoint
CREATE TABLE "usage_counters" (
	"user_id" uuid NOT NULL,
	"feature" text NOT NULL,
	"period" text NOT NULL,
	"used" bigint NOT NULL,
	"updated_at" timestamp with time zone NOT NULL,
	CONSTRAINT "usage_counters_user_id_feature_period_pk" PRIMARY KEY("user_id","feature","period"),
	CONSTRAINT "usage_counters_used_check" CHECK ("usage_counters"."used" >= 0),
	CONSTRAINT "usage_counters_period_check" CHECK ("usage_counters"."period" = 'total' OR "usage_counters"."period" ~ '^\d{4}-\d{2}-\d{2}$')
);
--> statement-breakpoint
CREATE TABLE "service_idempotency_keys" (
	"service_key_id" uuid NOT NULL,
	"key" text NOT NULL,
	"request_hash" text NOT NULL,
	"status_code" integer NOT NULL,
	"response_body" jsonb NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "service_idempotency_keys_service_key_id_key_pk" PRIMARY KEY("service_key_id","key")
);
--> statement-breakpoint
ALTER TABLE "service_keys" ADD CONSTRAINT "service_keys_created_by_user_id_users_id_fk" FOREIGN KEY ("created_by_user_id") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "usage_counters" ADD CONSTRAINT "usage_counters_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "service_idempotency_keys" ADD CONSTRAINT "service_idempotency_keys_service_key_id_service_keys_id_fk" FOREIGN KEY ("service_key_id") REFERENCES "public"."service_keys"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "service_idempotency_keys_created_idx" ON "service_idempotency_keys" USING btree ("created_at");--> statement-breakpoint
CREATE INDEX "usage_counters_period_idx" ON "usage_counters" USING btree ("period");
