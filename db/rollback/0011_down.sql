-- Rolls back migration 0011 (the index behind the admin list's current rows). Apply before the
-- rollbacks of earlier migrations.
BEGIN;
DROP INDEX IF EXISTS user_subscriptions_current_created_idx;
-- Forget 0011 so that the migrator applies it again.
DELETE FROM drizzle.__drizzle_migrations WHERE created_at >= 1795700600000;
COMMIT;
