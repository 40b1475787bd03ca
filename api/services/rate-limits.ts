import { type SQL, sql } from "drizzle-orm";
import type { Read } from "../../db/client/reads.ts";

/** At most `limit` hits for `key` in each fixed window of `windowSeconds`. */
export interface RateLimit {
  key: string;
  limit: number;
  windowSeconds: number;
}

/** The first limit a hit went over, and when its window closes. */
export interface RateLimitRefusal {
  key: string;
  hits: number;
  resetAt: Date;
}

const windowStartOf = (limit: RateLimit, now: Date) => {
  const windowMs = limit.windowSeconds * 1000;
  return new Date(Math.floor(now.getTime() / windowMs) * windowMs);
};

/**
 * Counts one hit for each of `limits` in the fixed window containing `now`, in order, and stops at
 * the first one that goes over its limit: the limits after it are not counted, exactly as if each
 * were checked before the next. One statement (an upsert per limit, each counting only when the one
 * before it allowed), so concurrent requests from any Worker isolate see one shared count and the
 * counting can share a batch with the request's own reads. A stored window newer than ours (another
 * isolate's clock ahead) is kept and counted into, never moved back. Answers the refusal, if any.
 */
export function countHits(limits: RateLimit[], now: Date): Read<RateLimitRefusal | null> {
  const ctes = limits.map((limit, i) => {
    const previous = limits[i - 1];
    const allowed = previous
      ? sql`WHERE (SELECT hits FROM hit_${sql.raw(String(i - 1))}) <= ${previous.limit}::int`
      : sql``;
    return sql`hit_${sql.raw(String(i))} AS (
      INSERT INTO rate_limits AS r (key, window_start, hits)
      SELECT ${limit.key}::text, ${windowStartOf(limit, now).toISOString()}::timestamptz, 1 ${allowed}
      ON CONFLICT (key) DO UPDATE SET
        hits = CASE WHEN r.window_start >= excluded.window_start THEN r.hits + 1 ELSE 1 END,
        window_start = GREATEST(r.window_start, excluded.window_start)
      RETURNING ${i}::int AS i, hits, window_start
    )`;
  });
  const answers = limits.map((_, i) => sql`SELECT i, hits, window_start FROM hit_${sql.raw(String(i))}`);
  const statement: SQL = sql`WITH ${sql.join(ctes, sql`, `)} ${sql.join(answers, sql` UNION ALL `)} ORDER BY i`;
  return {
    statement,
    decode: (rows) => {
      for (const row of rows) {
        const limit = limits[Number(row.i)] as RateLimit;
        const hits = Number(row.hits);
        if (hits <= limit.limit) continue;
        const start = new Date(row.window_start as string);
        return { key: limit.key, hits, resetAt: new Date(start.getTime() + limit.windowSeconds * 1000) };
      }
      return null;
    },
  };
}
