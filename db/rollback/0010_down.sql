-- Rolls back migration 0010 (the admin guard of batched admin reads). Apply before the rollbacks of
-- earlier migrations.
BEGIN;
DROP FUNCTION IF EXISTS assert_admin(boolean);
-- Forget 0010 so that the migrator applies it again.
DELETE FROM drizzle.__drizzle_migrations WHERE created_at >= 1795700500000;
COMMIT;
