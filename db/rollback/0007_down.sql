-- Rolls back migration 0007 (payments). Apply before the rollbacks of earlier migrations.
-- Trialing and past_due rows still grant their tier, so they go back to active; the Stripe ids are
-- dropped with their columns (Stripe keeps its own copy).
BEGIN;
DROP VIEW IF EXISTS user_subscription_details;
ALTER TABLE user_subscriptions DROP CONSTRAINT IF EXISTS user_subscriptions_grace_check;
ALTER TABLE user_subscriptions DROP CONSTRAINT IF EXISTS user_subscriptions_provider_check;
UPDATE user_subscriptions SET status = 'active' WHERE status IN ('trialing', 'past_due');
ALTER TABLE user_subscriptions DROP CONSTRAINT user_subscriptions_status_check;
ALTER TABLE user_subscriptions ADD CONSTRAINT user_subscriptions_status_check
  CHECK (status IN ('active', 'cancelled', 'expired'));
ALTER TABLE user_subscriptions DROP COLUMN IF EXISTS grace_until;
-- The history is append-only: rows written with the payment actions stay, so the older check is
-- restored for new rows only (NOT VALID).
ALTER TABLE subscription_history DROP CONSTRAINT subscription_history_action_check;
ALTER TABLE subscription_history ADD CONSTRAINT subscription_history_action_check
  CHECK (action IN ('created', 'upgraded', 'downgrade_scheduled', 'downgrade_undone', 'downgraded', 'cancelled',
                    'resumed', 'expired', 'renewed', 'assigned')) NOT VALID;
ALTER TABLE subscription_history DROP COLUMN IF EXISTS payment_provider;
ALTER TABLE subscription_history DROP COLUMN IF EXISTS provider_subscription_id;
DROP INDEX IF EXISTS users_stripe_customer_key;
ALTER TABLE users DROP COLUMN IF EXISTS stripe_customer_id;
ALTER TABLE user_tiers DROP COLUMN IF EXISTS trial_days;
ALTER TABLE user_tiers DROP COLUMN IF EXISTS price_lookup_keys;
DROP TABLE IF EXISTS payment_events;
DROP INDEX IF EXISTS user_subscriptions_grace_idx;
DROP INDEX IF EXISTS user_subscriptions_provider_idx;
DROP INDEX user_subscriptions_one_current_key;
CREATE UNIQUE INDEX user_subscriptions_one_current_key ON user_subscriptions USING btree (user_id)
  WHERE status IN ('active', 'cancelled');
DROP INDEX user_subscriptions_due_ends_idx;
CREATE INDEX user_subscriptions_due_ends_idx ON user_subscriptions USING btree (ends_at)
  WHERE status IN ('active', 'cancelled') AND ends_at IS NOT NULL;
DROP INDEX user_subscriptions_due_renewal_idx;
CREATE INDEX user_subscriptions_due_renewal_idx ON user_subscriptions USING btree (current_period_end)
  WHERE status = 'active' AND ends_at IS NULL AND billing_cycle IS NOT NULL;
DROP INDEX user_subscriptions_current_tier_idx;
CREATE INDEX user_subscriptions_current_tier_idx ON user_subscriptions USING btree (tier_slug, status, billing_cycle)
  WHERE status IN ('active', 'cancelled');
CREATE OR REPLACE FUNCTION get_user_tier(p_user_id uuid) RETURNS text
LANGUAGE sql STABLE AS $$
  SELECT coalesce(s.tier_slug, 'member')
  FROM users u
  LEFT JOIN user_subscriptions s ON s.user_id = u.id AND s.status IN ('active', 'cancelled')
  WHERE u.id = p_user_id
$$;
CREATE OR REPLACE FUNCTION user_has_tier_level(p_user_id uuid, p_level integer) RETURNS boolean
LANGUAGE sql STABLE AS $$
  SELECT coalesce((
    SELECT t.tier_level >= p_level
    FROM user_subscriptions s JOIN user_tiers t ON t.slug = s.tier_slug
    WHERE s.user_id = p_user_id AND s.status IN ('active', 'cancelled')
  ), false)
$$;
CREATE VIEW user_subscription_details AS
SELECT u.id AS user_id, u.email, u.display_name, u.is_admin,
       s.id AS subscription_id, s.tier_slug, t.name AS tier_name, t.tier_level,
       s.billing_cycle, s.status, s.started_at, s.current_period_start, s.current_period_end,
       s.cancelled_at, s.ends_at, s.scheduled_tier_slug, s.payment_provider, s.payment_provider_id
FROM users u
LEFT JOIN user_subscriptions s ON s.user_id = u.id AND s.status IN ('active', 'cancelled')
LEFT JOIN user_tiers t ON t.slug = s.tier_slug;
-- Forget 0007 so that the migrator applies it again.
DELETE FROM drizzle.__drizzle_migrations WHERE created_at >= 1795700200000;
COMMIT;
