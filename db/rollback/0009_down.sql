-- Rolls back migration 0009 (the change guard). Apply before the rollbacks of earlier migrations.
BEGIN;
DROP FUNCTION IF EXISTS assert_plan_unchanged(boolean);
DELETE FROM drizzle.__drizzle_migrations WHERE created_at >= 1795700400000;
COMMIT;
