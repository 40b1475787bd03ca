-- Rolls back migration 0003 (API support tables). Apply before 0002_down.sql.
BEGIN;
DROP TABLE IF EXISTS idempotency_keys;
DROP TABLE IF EXISTS rate_limits;
-- Forget 0003 so that the migrator applies it again.
DELETE FROM drizzle.__drizzle_migrations WHERE created_at >= 1795688156088;
COMMIT;
