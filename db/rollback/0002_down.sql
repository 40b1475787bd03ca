-- Rolls back migration 0002 (the tier system) to the 0001 state: every user and their profile
-- data stay; every tier object goes. 0003_down.sql must run first when 0003 is applied.
BEGIN;
DROP VIEW IF EXISTS user_subscription_details;
DROP FUNCTION IF EXISTS get_user_tier(uuid);
DROP FUNCTION IF EXISTS user_has_tier_level(uuid, integer);
ALTER TABLE users DROP COLUMN IF EXISTS subscription_id;
ALTER TABLE users DROP COLUMN IF EXISTS current_tier_slug;
DROP TABLE IF EXISTS subscription_history CASCADE;
DROP TABLE IF EXISTS user_subscriptions CASCADE;
DROP TABLE IF EXISTS user_tiers CASCADE;
DROP FUNCTION IF EXISTS subscription_history_append_only();
DROP FUNCTION IF EXISTS billing_period_at(timestamptz, text, timestamptz);
DROP INDEX IF EXISTS users_current_tier_idx;
-- Forget 0002 (and anything after it) so that the migrator applies it again.
DELETE FROM drizzle.__drizzle_migrations WHERE created_at >= 1795688155339;
COMMIT;
