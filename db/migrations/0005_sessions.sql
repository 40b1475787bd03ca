-- Sessions for rotating refresh tokens (one family per login) and the plan version carried by tokens.
CREATE TABLE "auth_sessions" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"user_id" uuid NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"revoked_at" timestamp with time zone
);
--> statement-breakpoint
ALTER TABLE "auth_sessions" ADD CONSTRAINT "auth_sessions_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;
--> statement-breakpoint
CREATE INDEX "auth_sessions_user_idx" ON "auth_sessions" USING btree ("user_id");
--> statement-breakpoint
CREATE TABLE "refresh_tokens" (
	"token_hash" text PRIMARY KEY NOT NULL,
	"session_id" uuid NOT NULL,
	"created_at" timestamp with time zone NOT NULL,
	"expires_at" timestamp with time zone NOT NULL,
	"rotated_at" timestamp with time zone,
	"successor_hash" text
);
--> statement-breakpoint
ALTER TABLE "refresh_tokens" ADD CONSTRAINT "refresh_tokens_session_id_auth_sessions_id_fk" FOREIGN KEY ("session_id") REFERENCES "public"."auth_sessions"("id") ON DELETE cascade ON UPDATE no action;
--> statement-breakpoint
CREATE INDEX "refresh_tokens_session_idx" ON "refresh_tokens" USING btree ("session_id");
--> statement-breakpoint
CREATE INDEX "refresh_tokens_expires_idx" ON "refresh_tokens" USING btree ("expires_at");
--> statement-breakpoint
ALTER TABLE "users" ADD COLUMN "plan_version" integer DEFAULT 0 NOT NULL;
--> statement-breakpoint
-- Every plan change writes exactly one history row, so the count so far is the version so far.
UPDATE "users" u SET "plan_version" = (SELECT count(*) FROM "subscription_history" h WHERE h.user_id = u.id);
--> statement-breakpoint
CREATE FUNCTION bump_plan_version() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  UPDATE users SET plan_version = plan_version + 1 WHERE id = NEW.user_id;
  RETURN NULL;
END;
$$;
--> statement-breakpoint
CREATE TRIGGER subscription_history_bump_plan_version AFTER INSERT ON "subscription_history"
FOR EACH ROW EXECUTE FUNCTION bump_plan_version();
