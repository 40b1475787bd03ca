-- Payments (issue 12). Two new current statuses: trialing (a paid tier on trial) and past_due (a
-- renewal failed; access stays until grace_until). "Current" is redefined here once, everywhere the
-- database spells it: the one-current-row index, the due and stats indexes, get_user_tier,
-- user_has_tier_level and the details view.
ALTER TABLE "user_subscriptions" DROP CONSTRAINT "user_subscriptions_status_check";--> statement-breakpoint
ALTER TABLE "user_subscriptions" ADD CONSTRAINT "user_subscriptions_status_check"
  CHECK ("status" IN ('active', 'trialing', 'past_due', 'cancelled', 'expired'));--> statement-breakpoint
ALTER TABLE "user_subscriptions" ADD COLUMN "grace_until" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "user_subscriptions" ADD CONSTRAINT "user_subscriptions_grace_check"
  CHECK (("status" = 'past_due') = ("grace_until" IS NOT NULL) OR "status" = 'expired');--> statement-breakpoint
ALTER TABLE "user_subscriptions" ADD CONSTRAINT "user_subscriptions_provider_check"
  CHECK (("payment_provider" IS NULL) = ("payment_provider_id" IS NULL));--> statement-breakpoint
ALTER TABLE "subscription_history" DROP CONSTRAINT "subscription_history_action_check";--> statement-breakpoint
ALTER TABLE "subscription_history" ADD CONSTRAINT "subscription_history_action_check"
  CHECK ("action" IN ('created', 'upgraded', 'downgrade_scheduled', 'downgrade_undone', 'downgraded', 'cancelled',
                      'resumed', 'expired', 'renewed', 'assigned', 'payment_failed', 'payment_recovered'));--> statement-breakpoint
ALTER TABLE "subscription_history" ADD COLUMN "payment_provider" text;--> statement-breakpoint
ALTER TABLE "subscription_history" ADD COLUMN "provider_subscription_id" text;--> statement-breakpoint
ALTER TABLE "users" ADD COLUMN "stripe_customer_id" text;--> statement-breakpoint
CREATE UNIQUE INDEX "users_stripe_customer_key" ON "users" USING btree ("stripe_customer_id") WHERE "stripe_customer_id" IS NOT NULL;--> statement-breakpoint
ALTER TABLE "user_tiers" ADD COLUMN "trial_days" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "user_tiers" ADD CONSTRAINT "user_tiers_trial_days_check" CHECK ("trial_days" >= 0);--> statement-breakpoint
-- {"monthly": "...", "annual": "..."}: Stripe price lookup keys; NULL means tierkit_<slug>_<cycle>.
ALTER TABLE "user_tiers" ADD COLUMN "price_lookup_keys" jsonb;--> statement-breakpoint
UPDATE "user_tiers" SET "trial_days" = 14 WHERE "slug" = 'pro';--> statement-breakpoint
-- Webhook events already applied; written in the transaction of the change each one caused.
CREATE TABLE "payment_events" (
	"provider" text NOT NULL,
	"event_id" text NOT NULL,
	"event_type" text NOT NULL,
	"received_at" timestamp with time zone NOT NULL,
	CONSTRAINT "payment_events_pk" PRIMARY KEY("provider", "event_id")
);--> statement-breakpoint
CREATE INDEX "payment_events_received_idx" ON "payment_events" USING btree ("received_at");--> statement-breakpoint
DROP INDEX "user_subscriptions_one_current_key";--> statement-breakpoint
CREATE UNIQUE INDEX "user_subscriptions_one_current_key" ON "user_subscriptions" USING btree ("user_id")
  WHERE "status" IN ('active', 'trialing', 'past_due', 'cancelled');--> statement-breakpoint
DROP INDEX "user_subscriptions_due_ends_idx";--> statement-breakpoint
CREATE INDEX "user_subscriptions_due_ends_idx" ON "user_subscriptions" USING btree ("ends_at")
  WHERE "status" IN ('active', 'trialing', 'past_due', 'cancelled') AND "ends_at" IS NOT NULL;--> statement-breakpoint
-- Stripe renews the rows it bills (invoice.paid); the cron renews only the others.
DROP INDEX "user_subscriptions_due_renewal_idx";--> statement-breakpoint
CREATE INDEX "user_subscriptions_due_renewal_idx" ON "user_subscriptions" USING btree ("current_period_end")
  WHERE "status" = 'active' AND "ends_at" IS NULL AND "billing_cycle" IS NOT NULL AND "payment_provider" IS NULL;--> statement-breakpoint
CREATE INDEX "user_subscriptions_grace_idx" ON "user_subscriptions" USING btree ("grace_until")
  WHERE "status" = 'past_due';--> statement-breakpoint
CREATE INDEX "user_subscriptions_provider_idx" ON "user_subscriptions" USING btree ("payment_provider_id")
  WHERE "payment_provider_id" IS NOT NULL;--> statement-breakpoint
DROP INDEX "user_subscriptions_current_tier_idx";--> statement-breakpoint
CREATE INDEX "user_subscriptions_current_tier_idx" ON "user_subscriptions" USING btree ("tier_slug","status","billing_cycle")
  WHERE "status" IN ('active', 'trialing', 'past_due', 'cancelled');--> statement-breakpoint
CREATE OR REPLACE FUNCTION get_user_tier(p_user_id uuid) RETURNS text
LANGUAGE sql STABLE AS $$
  SELECT coalesce(s."tier_slug", 'member')
  FROM "users" u
  LEFT JOIN "user_subscriptions" s ON s."user_id" = u."id" AND s."status" IN ('active', 'trialing', 'past_due', 'cancelled')
  WHERE u."id" = p_user_id
$$;
--> statement-breakpoint
CREATE OR REPLACE FUNCTION user_has_tier_level(p_user_id uuid, p_level integer) RETURNS boolean
LANGUAGE sql STABLE AS $$
  SELECT coalesce((
    SELECT t."tier_level" >= p_level
    FROM "user_subscriptions" s JOIN "user_tiers" t ON t."slug" = s."tier_slug"
    WHERE s."user_id" = p_user_id AND s."status" IN ('active', 'trialing', 'past_due', 'cancelled')
  ), false)
$$;
--> statement-breakpoint
DROP VIEW "user_subscription_details";--> statement-breakpoint
CREATE VIEW user_subscription_details AS
SELECT u."id" AS user_id, u."email", u."display_name", u."is_admin",
       s."id" AS subscription_id, s."tier_slug", t."name" AS tier_name, t."tier_level",
       s."billing_cycle", s."status", s."started_at", s."current_period_start", s."current_period_end",
       s."cancelled_at", s."ends_at", s."scheduled_tier_slug", s."payment_provider", s."payment_provider_id",
       s."grace_until", u."stripe_customer_id"
FROM "users" u
LEFT JOIN "user_subscriptions" s ON s."user_id" = u."id" AND s."status" IN ('active', 'trialing', 'past_due', 'cancelled')
LEFT JOIN "user_tiers" t ON t."slug" = s."tier_slug";
