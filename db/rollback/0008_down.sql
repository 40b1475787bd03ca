-- Rolls back migration 0008 (seats). Apply before the rollbacks of earlier migrations.
BEGIN;
-- The tier functions read the user's own subscription again, as 0007 defined them.
CREATE OR REPLACE FUNCTION get_user_tier(p_user_id uuid) RETURNS text
LANGUAGE sql STABLE AS $$
  SELECT coalesce(s."tier_slug", 'member')
  FROM "users" u
  LEFT JOIN "user_subscriptions" s ON s."user_id" = u."id" AND s."status" IN ('active', 'trialing', 'past_due', 'cancelled')
  WHERE u."id" = p_user_id
$$;
CREATE OR REPLACE FUNCTION user_has_tier_level(p_user_id uuid, p_level integer) RETURNS boolean
LANGUAGE sql STABLE AS $$
  SELECT coalesce((
    SELECT t."tier_level" >= p_level
    FROM "user_subscriptions" s JOIN "user_tiers" t ON t."slug" = s."tier_slug"
    WHERE s."user_id" = p_user_id AND s."status" IN ('active', 'trialing', 'past_due', 'cancelled')
  ), false)
$$;
DROP FUNCTION IF EXISTS seat_tier_slug(uuid);
DROP FUNCTION IF EXISTS subscription_gives_access(user_subscriptions);
DROP TABLE IF EXISTS seat_memberships;
DROP TABLE IF EXISTS seat_invitations;
-- The audit trail is append-only, so its seat rows stay: the old action list applies to new rows
-- only (NOT VALID), and applying 0008 again restores the full list.
ALTER TABLE subscription_history DROP CONSTRAINT IF EXISTS subscription_history_action_check;
ALTER TABLE subscription_history ADD CONSTRAINT subscription_history_action_check CHECK (action IN ('created', 'upgraded',
  'downgrade_scheduled', 'downgrade_undone', 'downgraded', 'cancelled', 'resumed', 'expired', 'renewed', 'assigned',
  'payment_failed', 'payment_recovered')) NOT VALID;
-- Forget 0008 so that the migrator applies it again.
DELETE FROM drizzle.__drizzle_migrations WHERE created_at >= 1795700300000;
COMMIT;
