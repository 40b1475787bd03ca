import { sql } from "drizzle-orm";
import { type Database, queryRows } from "../../../db/client/types.ts";
import { liveSession } from "../sessions/live-session.ts";
import { type Entitlements, entitlementsOf } from "./features.ts";

export interface CurrentEntitlements {
  tierSlug: string;
  tierLevel: number;
  ent: Entitlements;
  /** Usage counted in the windows open at `now`, keyed `feature:period`; only when asked for. */
  usage: Record<string, number>;
}

const inPeriods = (periods: string[]) =>
  periods.length
    ? sql`c.period IN (${sql.join(
        periods.map((period) => sql`${period}::text`),
        sql`, `,
      )})`
    : sql`false`;

/**
 * The user's entitlements as their effective tier grants them now (get_user_tier: their own plan or a
 * seat they hold, whichever is higher; it follows every
 * change), with the counters of the given periods, in one statement; null when the user is gone or
 * `sid`, the caller's session, has ended.
 */
export async function currentEntitlements(
  db: Database,
  userId: string,
  options: { periods?: string[]; sid?: string } = {},
): Promise<CurrentEntitlements | null> {
  const periods = options.periods ?? [];
  const [row] = await queryRows<{
    slug: string;
    tier_level: number;
    features: Record<string, unknown>;
    usage: Record<string, number | string>;
  }>(
    db,
    sql`SELECT t.slug, t.tier_level, t.features,
               coalesce((SELECT jsonb_object_agg(c.feature || ':' || c.period, c.used) FROM usage_counters c
                          WHERE c.user_id = u.id AND ${inPeriods(periods)}), '{}'::jsonb) AS usage
        FROM users u JOIN user_tiers t ON t.slug = get_user_tier(u.id)
        WHERE u.id = ${userId}::uuid AND ${liveSession(sql`u.id`, options.sid) ?? sql`true`}`,
  );
  if (!row) return null;
  return {
    tierSlug: row.slug,
    tierLevel: row.tier_level,
    ent: entitlementsOf(row.features),
    usage: Object.fromEntries(Object.entries(row.usage).map(([key, used]) => [key, Number(used)])),
  };
}
