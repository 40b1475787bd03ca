import { sql } from "drizzle-orm";
import { type Database, queryRows } from "../../db/client/types.ts";
import { CURRENT_STATUS_LIST } from "../../db/schema.ts";

export interface InvariantViolation {
  user_id: string;
  current_rows: number;
  subscription_id: string | null;
  current_tier_slug: string | null;
}

/**
 * Users that break the lifecycle's invariants: not exactly one current (active or cancelled)
 * subscription, or users.subscription_id / current_tier_slug not naming it. Empty when all is well.
 */
export function invariantViolations(db: Database): Promise<InvariantViolation[]> {
  return queryRows<InvariantViolation>(
    db,
    sql`SELECT u.id AS user_id, count(s.id)::int AS current_rows, u.subscription_id, u.current_tier_slug
        FROM users u
        LEFT JOIN user_subscriptions s ON s.user_id = u.id AND s.status IN (${sql.raw(CURRENT_STATUS_LIST)})
        GROUP BY u.id
        HAVING count(s.id) <> 1
            OR u.subscription_id IS DISTINCT FROM min(s.id::text)::uuid
            OR u.current_tier_slug IS DISTINCT FROM min(s.tier_slug)`,
  );
}
