-- Rolls back migration 0005 (sessions, refresh tokens, plan version). Apply before 0004_down.sql.
BEGIN;
DROP TRIGGER IF EXISTS subscription_history_bump_plan_version ON subscription_history;
DROP FUNCTION IF EXISTS bump_plan_version();
ALTER TABLE users DROP COLUMN IF EXISTS plan_version;
DROP TABLE IF EXISTS refresh_tokens;
DROP TABLE IF EXISTS auth_sessions;
-- Forget 0005 so that the migrator applies it again.
DELETE FROM drizzle.__drizzle_migrations WHERE created_at >= 1795700000000;
COMMIT;
