import { sql } from "drizzle-orm";
import { type Database, queryRows } from "../../db/client/types.ts";
import { liveSession } from "./sessions/live-session.ts";

export interface TierAccess {
  allowed: boolean;
  currentTier: string | null;
  currentLevel: number | null;
  requiredTier: string | null;
}

/**
 * Asks the database's own rule (`user_has_tier_level`) and, for the refusal message, both tiers.
 * No current tier means the user is gone or `sid`, the caller's session, has ended.
 */
export async function checkTierLevel(db: Database, userId: string, level: number, sid?: string): Promise<TierAccess> {
  const live = liveSession(sql`${userId}::uuid`, sid) ?? sql`true`;
  const [row] = await queryRows<{
    allowed: boolean;
    current_tier: string | null;
    current_level: number | null;
    required_tier: string | null;
  }>(
    db,
    sql`SELECT user_has_tier_level(${userId}::uuid, ${level}::int) AS allowed,
               t.slug AS current_tier, t.tier_level AS current_level,
               (SELECT slug FROM user_tiers WHERE tier_level = ${level}::int) AS required_tier
        FROM (SELECT get_user_tier(${userId}::uuid) AS slug WHERE ${live}) c
        LEFT JOIN user_tiers t ON t.slug = c.slug`,
  );
  return {
    allowed: row?.allowed ?? false,
    currentTier: row?.current_tier ?? null,
    currentLevel: row?.current_level ?? null,
    requiredTier: row?.required_tier ?? null,
  };
}
