-- Rolls back migration 0004 (the covering index behind the admin stats). Apply before 0003_down.sql.
BEGIN;
DROP INDEX IF EXISTS user_subscriptions_current_tier_idx;
-- Forget 0004 so that the migrator applies it again.
DELETE FROM drizzle.__drizzle_migrations WHERE created_at >= 1795689627538;
COMMIT;
