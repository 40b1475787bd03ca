import { sql } from "drizzle-orm";
import { type Database, queryRows } from "../../db/client/types.ts";

export interface RateLimitResult {
  allowed: boolean;
  hits: number;
  /** When the current fixed window closes. */
  resetAt: Date;
}

/**
 * Counts one hit for `key` in the fixed window containing `now`. A single upsert, so concurrent
 * requests from any Worker isolate see one shared count. A stored window newer than ours (another
 * isolate's clock ahead) is kept and counted into, never moved back.
 */
export async function hitRateLimit(
  db: Database,
  input: { key: string; limit: number; windowSeconds: number; now: Date },
): Promise<RateLimitResult> {
  const windowMs = input.windowSeconds * 1000;
  const windowStart = new Date(Math.floor(input.now.getTime() / windowMs) * windowMs);
  const [row] = await queryRows<{ hits: number; window_start: Date | string }>(
    db,
    sql`INSERT INTO rate_limits AS r (key, window_start, hits)
        VALUES (${input.key}, ${windowStart.toISOString()}::timestamptz, 1)
        ON CONFLICT (key) DO UPDATE SET
          hits = CASE WHEN r.window_start >= excluded.window_start THEN r.hits + 1 ELSE 1 END,
          window_start = GREATEST(r.window_start, excluded.window_start)
        RETURNING hits, window_start`,
  );
  if (!row) throw new Error("rate limit upsert returned no row");
  const start = new Date(row.window_start);
  return { allowed: row.hits <= input.limit, hits: row.hits, resetAt: new Date(start.getTime() + windowMs) };
}
