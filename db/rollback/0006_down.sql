-- Rolls back migration 0006 (service keys and usage counters). Apply before the rollbacks of earlier migrations.
BEGIN;
DROP TABLE IF EXISTS service_idempotency_keys;
DROP TABLE IF EXISTS usage_counters;
DROP TABLE IF EXISTS service_keys;
-- Forget 0006 so that the migrator applies it again.
DELETE FROM drizzle.__drizzle_migrations WHERE created_at >= 1795700100000;
COMMIT;
