CREATE TABLE "subscription_history" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"user_id" uuid NOT NULL,
	"subscription_id" uuid NOT NULL,
	"action" text NOT NULL,
	"from_tier_slug" text,
	"to_tier_slug" text,
	"changed_by_user_id" uuid,
	"is_admin_action" boolean DEFAULT false NOT NULL,
	"reason" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "subscription_history_action_check" CHECK ("subscription_history"."action" IN ('created', 'upgraded', 'downgrade_scheduled', 'downgrade_undone', 'downgraded', 'cancelled', 'resumed', 'expired', 'renewed', 'assigned'))
);
--> statement-breakpoint
CREATE TABLE "user_subscriptions" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"user_id" uuid NOT NULL,
	"tier_slug" text NOT NULL,
	"billing_cycle" text,
	"status" text NOT NULL,
	"started_at" timestamp with time zone NOT NULL,
	"current_period_start" timestamp with time zone NOT NULL,
	"current_period_end" timestamp with time zone,
	"billing_anchor_at" timestamp with time zone,
	"cancelled_at" timestamp with time zone,
	"ends_at" timestamp with time zone,
	"scheduled_tier_slug" text,
	"payment_provider" text,
	"payment_provider_id" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "user_subscriptions_billing_cycle_check" CHECK ("user_subscriptions"."billing_cycle" IN ('monthly', 'annual')),
	CONSTRAINT "user_subscriptions_status_check" CHECK ("user_subscriptions"."status" IN ('active', 'cancelled', 'expired')),
	CONSTRAINT "user_subscriptions_period_check" CHECK (("user_subscriptions"."billing_cycle" IS NULL) = ("user_subscriptions"."current_period_end" IS NULL) AND ("user_subscriptions"."billing_cycle" IS NULL) = ("user_subscriptions"."billing_anchor_at" IS NULL)),
	CONSTRAINT "user_subscriptions_period_order_check" CHECK ("user_subscriptions"."current_period_end" IS NULL OR "user_subscriptions"."current_period_end" > "user_subscriptions"."current_period_start"),
	CONSTRAINT "user_subscriptions_cancelled_check" CHECK ("user_subscriptions"."status" <> 'cancelled' OR ("user_subscriptions"."cancelled_at" IS NOT NULL AND "user_subscriptions"."ends_at" IS NOT NULL)),
	CONSTRAINT "user_subscriptions_scheduled_check" CHECK ("user_subscriptions"."scheduled_tier_slug" IS NULL OR ("user_subscriptions"."status" <> 'cancelled' AND "user_subscriptions"."ends_at" IS NOT NULL))
);
--> statement-breakpoint
CREATE TABLE "user_tiers" (
	"slug" text PRIMARY KEY NOT NULL,
	"name" text NOT NULL,
	"description" text NOT NULL,
	"tier_level" integer NOT NULL,
	"monthly_price_cents" integer DEFAULT 0 NOT NULL,
	"annual_price_cents" integer DEFAULT 0 NOT NULL,
	"is_active" boolean DEFAULT true NOT NULL,
	"features" jsonb NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "user_tiers_tier_level_key" UNIQUE("tier_level"),
	CONSTRAINT "user_tiers_prices_check" CHECK ("user_tiers"."monthly_price_cents" >= 0 AND "user_tiers"."annual_price_cents" >= 0),
	CONSTRAINT "user_tiers_level_check" CHECK ("user_tiers"."tier_level" > 0)
);
--> statement-breakpoint
ALTER TABLE "users" ADD COLUMN "subscription_id" uuid;--> statement-breakpoint
ALTER TABLE "users" ADD COLUMN "current_tier_slug" text;--> statement-breakpoint
ALTER TABLE "subscription_history" ADD CONSTRAINT "subscription_history_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "subscription_history" ADD CONSTRAINT "subscription_history_subscription_id_user_subscriptions_id_fk" FOREIGN KEY ("subscription_id") REFERENCES "public"."user_subscriptions"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "subscription_history" ADD CONSTRAINT "subscription_history_from_tier_slug_user_tiers_slug_fk" FOREIGN KEY ("from_tier_slug") REFERENCES "public"."user_tiers"("slug") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "subscription_history" ADD CONSTRAINT "subscription_history_to_tier_slug_user_tiers_slug_fk" FOREIGN KEY ("to_tier_slug") REFERENCES "public"."user_tiers"("slug") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "subscription_history" ADD CONSTRAINT "subscription_history_changed_by_user_id_users_id_fk" FOREIGN KEY ("changed_by_user_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "user_subscriptions" ADD CONSTRAINT "user_subscriptions_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "user_subscriptions" ADD CONSTRAINT "user_subscriptions_tier_slug_user_tiers_slug_fk" FOREIGN KEY ("tier_slug") REFERENCES "public"."user_tiers"("slug") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "user_subscriptions" ADD CONSTRAINT "user_subscriptions_scheduled_tier_slug_user_tiers_slug_fk" FOREIGN KEY ("scheduled_tier_slug") REFERENCES "public"."user_tiers"("slug") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "subscription_history_user_idx" ON "subscription_history" USING btree ("user_id","created_at" DESC NULLS LAST);--> statement-breakpoint
CREATE INDEX "subscription_history_subscription_idx" ON "subscription_history" USING btree ("subscription_id");--> statement-breakpoint
CREATE UNIQUE INDEX "user_subscriptions_one_current_key" ON "user_subscriptions" USING btree ("user_id") WHERE "user_subscriptions"."status" IN ('active', 'cancelled');--> statement-breakpoint
CREATE INDEX "user_subscriptions_due_ends_idx" ON "user_subscriptions" USING btree ("ends_at") WHERE "user_subscriptions"."status" IN ('active', 'cancelled') AND "user_subscriptions"."ends_at" IS NOT NULL;--> statement-breakpoint
CREATE INDEX "user_subscriptions_due_renewal_idx" ON "user_subscriptions" USING btree ("current_period_end") WHERE "user_subscriptions"."status" = 'active' AND "user_subscriptions"."ends_at" IS NULL AND "user_subscriptions"."billing_cycle" IS NOT NULL;--> statement-breakpoint
CREATE INDEX "user_subscriptions_admin_list_idx" ON "user_subscriptions" USING btree ("status","tier_slug","created_at" DESC NULLS LAST,"id" DESC NULLS LAST);--> statement-breakpoint
CREATE INDEX "user_subscriptions_created_idx" ON "user_subscriptions" USING btree ("created_at" DESC NULLS LAST,"id" DESC NULLS LAST);--> statement-breakpoint
CREATE INDEX "user_subscriptions_user_idx" ON "user_subscriptions" USING btree ("user_id");--> statement-breakpoint
ALTER TABLE "users" ADD CONSTRAINT "users_subscription_id_user_subscriptions_id_fk" FOREIGN KEY ("subscription_id") REFERENCES "public"."user_subscriptions"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "users" ADD CONSTRAINT "users_current_tier_slug_user_tiers_slug_fk" FOREIGN KEY ("current_tier_slug") REFERENCES "public"."user_tiers"("slug") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "users_current_tier_idx" ON "users" USING btree ("current_tier_slug");--> statement-breakpoint
-- Hand-written from here on: what Drizzle's schema has no word for (catalog data, backfill,
-- functions, the view and the append-only guard).
INSERT INTO "user_tiers" ("slug", "name", "description", "tier_level", "monthly_price_cents", "annual_price_cents", "features") VALUES
  ('member', 'Member', 'Free tier for getting started: everyday chat and a small document library.', 1, 0, 0,
   '{"messages_per_day": 50, "documents": 10, "storage_gb": 1, "seats": 1, "priority_support": false, "api_access": false}'),
  ('pro', 'Pro', 'For individuals who rely on it daily: ten times the messages, a large library and API access.', 2, 999, 9990,
   '{"messages_per_day": 500, "documents": 200, "storage_gb": 10, "seats": 1, "priority_support": false, "api_access": true}'),
  ('business', 'Business', 'For small teams: unlimited messages, five seats and priority support.', 3, 2999, 29990,
   '{"messages_per_day": null, "documents": 2000, "storage_gb": 100, "seats": 5, "priority_support": true, "api_access": true}'),
  ('elite', 'Elite', 'Everything without limits for one power user, with priority support.', 4, 4999, 49990,
   '{"messages_per_day": null, "documents": null, "storage_gb": 500, "seats": 1, "priority_support": true, "api_access": true}'),
  ('family', 'Family', 'Elite for the whole household: six seats sharing unlimited everything.', 5, 7999, 79990,
   '{"messages_per_day": null, "documents": null, "storage_gb": 1000, "seats": 6, "priority_support": true, "api_access": true}');
--> statement-breakpoint
-- Backfill: everyone who existed before tiers has been a member since they signed up.
WITH created AS (
  INSERT INTO "user_subscriptions" ("user_id", "tier_slug", "status", "started_at", "current_period_start")
  SELECT "id", 'member', 'active', "created_at", "created_at" FROM "users" WHERE "subscription_id" IS NULL
  RETURNING "id", "user_id"
), linked AS (
  UPDATE "users" u SET "subscription_id" = c."id", "current_tier_slug" = 'member'
  FROM created c WHERE u."id" = c."user_id"
)
INSERT INTO "subscription_history" ("user_id", "subscription_id", "action", "to_tier_slug", "reason")
SELECT "user_id", "id", 'created', 'member', 'Backfilled by migration 0002' FROM created;
--> statement-breakpoint
CREATE FUNCTION get_user_tier(p_user_id uuid) RETURNS text
LANGUAGE sql STABLE AS $$
  SELECT coalesce(s."tier_slug", 'member')
  FROM "users" u
  LEFT JOIN "user_subscriptions" s ON s."user_id" = u."id" AND s."status" IN ('active', 'cancelled')
  WHERE u."id" = p_user_id
$$;
--> statement-breakpoint
CREATE FUNCTION user_has_tier_level(p_user_id uuid, p_level integer) RETURNS boolean
LANGUAGE sql STABLE AS $$
  SELECT coalesce((
    SELECT t."tier_level" >= p_level
    FROM "user_subscriptions" s JOIN "user_tiers" t ON t."slug" = s."tier_slug"
    WHERE s."user_id" = p_user_id AND s."status" IN ('active', 'cancelled')
  ), false)
$$;
--> statement-breakpoint
CREATE VIEW user_subscription_details AS
SELECT u."id" AS user_id, u."email", u."display_name", u."is_admin",
       s."id" AS subscription_id, s."tier_slug", t."name" AS tier_name, t."tier_level",
       s."billing_cycle", s."status", s."started_at", s."current_period_start", s."current_period_end",
       s."cancelled_at", s."ends_at", s."scheduled_tier_slug", s."payment_provider", s."payment_provider_id"
FROM "users" u
LEFT JOIN "user_subscriptions" s ON s."user_id" = u."id" AND s."status" IN ('active', 'cancelled')
LEFT JOIN "user_tiers" t ON t."slug" = s."tier_slug";
--> statement-breakpoint
-- The billing period of a subscription anchored at p_anchor that contains p_at: calendar months in
-- UTC counted from the anchor, clamped to short months (the same rule as api/services/.../period.ts).
CREATE FUNCTION billing_period_at(p_anchor timestamptz, p_cycle text, p_at timestamptz,
                                  OUT period_start timestamptz, OUT period_end timestamptz)
LANGUAGE plpgsql IMMUTABLE AS $$
DECLARE
  step integer := CASE p_cycle WHEN 'annual' THEN 12 ELSE 1 END;
  base timestamp := p_anchor AT TIME ZONE 'UTC';
  at_utc timestamp := p_at AT TIME ZONE 'UTC';
  idx integer;
BEGIN
  idx := greatest(1, ((extract(year FROM at_utc) - extract(year FROM base))::integer * 12
                      + (extract(month FROM at_utc) - extract(month FROM base))::integer) / step);
  IF (base + make_interval(months => idx * step)) AT TIME ZONE 'UTC' <= p_at THEN
    idx := idx + 1;
  END IF;
  period_start := (base + make_interval(months => (idx - 1) * step)) AT TIME ZONE 'UTC';
  period_end := (base + make_interval(months => idx * step)) AT TIME ZONE 'UTC';
END
$$;
--> statement-breakpoint
-- The audit trail may only grow; a cascade from deleting the user (trigger depth > 1) may remove it.
CREATE FUNCTION subscription_history_append_only() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'DELETE' AND pg_trigger_depth() > 1 THEN
    RETURN OLD;
  END IF;
  RAISE EXCEPTION 'subscription_history is append-only' USING ERRCODE = 'restrict_violation';
END
$$;
--> statement-breakpoint
CREATE TRIGGER subscription_history_append_only BEFORE UPDATE OR DELETE ON "subscription_history"
FOR EACH ROW EXECUTE FUNCTION subscription_history_append_only();
