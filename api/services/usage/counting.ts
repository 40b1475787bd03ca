// Counting usage against the limit of the user's tier as it is at that moment. The check and the
// count are one statement (usage-call.ts sends it), so they cannot be separated by another request,
// and a tier change applies to the very next call.
import { type SQL, sql } from "drizzle-orm";
import { ServiceError } from "../service-error.ts";
import type { CountedFeature } from "./counted-feature.ts";
import { windowAt } from "./windows.ts";

export interface UsageRequest {
  userId: string;
  feature: CountedFeature;
  amount: number;
  now: Date;
}

/** What the statement says of a count that did not apply. */
export interface Uncounted {
  user_exists: boolean;
  lim: unknown;
  used_before: string | number | null;
}

/**
 * One counting operation as parts of the call's statement: `ctes` run only when the CTE `go` has a
 * row (the caller may count, and no answer is stored for its key) and end in `counted (used)`, the
 * new total when the count applied; `columns` say why it did not; `refuse` turns them into the refusal.
 */
export interface Operation {
  request: UsageRequest;
  ctes: SQL;
  columns: SQL;
  /** The tier's jsonb value for the counter, for the answer. */
  limit: SQL;
  refuse: (row: Uncounted) => ServiceError;
}

/** `lim` is the tier's jsonb value: JSON null is unlimited, a number a limit, a missing key nothing. */
const fits = (lim: SQL, total: SQL) =>
  sql`(jsonb_typeof(${lim}) = 'null' OR (jsonb_typeof(${lim}) = 'number' AND ${total} <= (${lim} #>> '{}')::numeric))`;

const limitOf = (userId: SQL, key: string) =>
  sql`(SELECT t.features -> ${key}::text FROM users u JOIN user_tiers t ON t.slug = get_user_tier(u.id) WHERE u.id = ${userId})`;

const usedBefore = (user: SQL, feature: string, period: string) =>
  sql`(SELECT used FROM usage_counters
        WHERE user_id = ${user} AND feature = ${feature}::text AND period = ${period}::text) AS used_before`;

const userNotFound = () => new ServiceError("not_found", "user_not_found", "There is no such user.");

/** Counts `amount` if it fits under the user's current limit; otherwise counts nothing and refuses. */
export function consume(request: UsageRequest): Operation {
  const { userId, feature, amount, now } = request;
  const { period, resetsAt } = windowAt(feature.window, now);
  const user = sql`${userId}::uuid`;
  return {
    request,
    ctes: sql`caller AS (
          SELECT u.id, t.features -> ${feature.key}::text AS lim
          FROM users u JOIN user_tiers t ON t.slug = get_user_tier(u.id)
          WHERE u.id = ${user} AND EXISTS (SELECT 1 FROM go)
        ), counted AS (
          INSERT INTO usage_counters AS c (user_id, feature, period, used, updated_at)
          SELECT id, ${feature.feature}::text, ${period}::text, ${amount}::bigint, ${now.toISOString()}::timestamptz
          FROM caller WHERE ${fits(sql`lim`, sql`${amount}::bigint`)}
          ON CONFLICT (user_id, feature, period) DO UPDATE
            SET used = c.used + EXCLUDED.used, updated_at = EXCLUDED.updated_at
            WHERE ${fits(limitOf(sql`EXCLUDED.user_id`, feature.key), sql`c.used + EXCLUDED.used`)}
          RETURNING c.used
        )`,
    columns: sql`EXISTS (SELECT 1 FROM caller) AS user_exists, (SELECT lim FROM caller) AS lim,
                 ${usedBefore(user, feature.feature, period)}`,
    limit: sql`(SELECT lim FROM caller)`,
    refuse(row) {
      if (!row.user_exists) return userNotFound();
      // Unlimited always fits, so a refusal without a number is a tier that has no such limit at all.
      if (typeof row.lim !== "number") {
        return new ServiceError(
          "forbidden",
          "feature_not_included",
          `The user's tier does not include ${feature.feature}.`,
        );
      }
      const limit = row.lim;
      const remaining = Math.max(limit - Number(row.used_before ?? 0), 0);
      const until = resetsAt ? ` until ${resetsAt.toISOString()}` : "";
      return new ServiceError(
        "limit_reached",
        "limit_reached",
        `The user's ${feature.feature} limit of ${limit} is reached: ${remaining} remain${until}, ${amount} asked.`,
        {
          details: [{ path: "amount", message: `Only ${remaining} of ${limit} remain${until}.` }],
          retryAfter: resetsAt ? Math.max(1, Math.ceil((resetsAt.getTime() - now.getTime()) / 1000)) : undefined,
        },
      );
    },
  };
}

/** Gives back part of a running total (a document deleted); never below zero, never a daily window. */
export function release(request: UsageRequest): Operation {
  const { userId, feature, amount, now } = request;
  if (feature.window !== "total") {
    throw new ServiceError(
      "invalid",
      "not_a_running_total",
      `${feature.feature} is counted per day and resets by itself; it cannot be released.`,
      {
        details: [{ path: "feature", message: "Only running totals (such as documents) can be released." }],
      },
    );
  }
  const { period } = windowAt(feature.window, now);
  const user = sql`${userId}::uuid`;
  return {
    request,
    ctes: sql`counted AS (
          UPDATE usage_counters SET used = used - ${amount}::bigint, updated_at = ${now.toISOString()}::timestamptz
          WHERE user_id = ${user} AND feature = ${feature.feature}::text AND period = ${period}::text
            AND used >= ${amount}::bigint AND EXISTS (SELECT 1 FROM go)
          RETURNING used
        )`,
    columns: sql`EXISTS (SELECT 1 FROM users WHERE id = ${user}) AS user_exists, NULL::jsonb AS lim,
                 ${usedBefore(user, feature.feature, period)}`,
    limit: limitOf(user, feature.key),
    refuse(row) {
      if (!row.user_exists) return userNotFound();
      const used = Number(row.used_before ?? 0);
      return new ServiceError(
        "conflict",
        "release_exceeds_usage",
        `Only ${used} ${feature.feature} are counted; ${amount} cannot be released.`,
        { details: [{ path: "amount", message: `At most ${used} can be released.` }] },
      );
    },
  };
}
