// Counting usage against the limit of the user's tier as it is at that moment. Each call is one
// statement: the check and the count cannot be separated by another request, and a tier change
// applies to the very next call.
import { type SQL, sql } from "drizzle-orm";
import { type Database, queryRows } from "../../../db/client/types.ts";
import { ServiceError } from "../service-error.ts";
import type { CountedFeature } from "./counted-feature.ts";
import { windowAt } from "./windows.ts";

export interface UsageRequest {
  userId: string;
  feature: CountedFeature;
  amount: number;
  now: Date;
}

export interface UsageState {
  feature: string;
  userId: string;
  used: number;
  /** null: unlimited. */
  limit: number | null;
  remaining: number | null;
  resetsAt: Date | null;
}

interface Row {
  user_exists: boolean;
  lim: unknown;
  changed: string | number | null;
  used_before: string | number | null;
}

/** `lim` is the tier's jsonb value: JSON null is unlimited, a number a limit, a missing key nothing. */
const fits = (lim: SQL, total: SQL) =>
  sql`(jsonb_typeof(${lim}) = 'null' OR (jsonb_typeof(${lim}) = 'number' AND ${total} <= (${lim} #>> '{}')::numeric))`;

const limitOf = (userId: SQL, key: string) =>
  sql`(SELECT t.features -> ${key}::text FROM users u JOIN user_tiers t ON t.slug = get_user_tier(u.id) WHERE u.id = ${userId})`;

function state(request: UsageRequest, lim: unknown, used: number): UsageState {
  const limit = typeof lim === "number" ? lim : null;
  return {
    feature: request.feature.feature,
    userId: request.userId,
    used,
    limit,
    remaining: limit === null ? null : Math.max(limit - used, 0),
    resetsAt: windowAt(request.feature.window, request.now).resetsAt,
  };
}

function refuseUnknownUser(row: Row | undefined): asserts row is Row {
  if (!row?.user_exists) throw new ServiceError("not_found", "user_not_found", "There is no such user.");
}

/** Counts `amount` if it fits under the user's current limit; otherwise counts nothing and refuses. */
export async function consume(db: Database, request: UsageRequest): Promise<UsageState> {
  const { userId, feature, amount, now } = request;
  const { period, resetsAt } = windowAt(feature.window, now);
  const user = sql`${userId}::uuid`;
  const [row] = await queryRows<Row>(
    db,
    sql`WITH caller AS (
          SELECT u.id, t.features -> ${feature.key}::text AS lim
          FROM users u JOIN user_tiers t ON t.slug = get_user_tier(u.id)
          WHERE u.id = ${user}
        ), counted AS (
          INSERT INTO usage_counters AS c (user_id, feature, period, used, updated_at)
          SELECT id, ${feature.feature}::text, ${period}::text, ${amount}::bigint, ${now.toISOString()}::timestamptz
          FROM caller WHERE ${fits(sql`lim`, sql`${amount}::bigint`)}
          ON CONFLICT (user_id, feature, period) DO UPDATE
            SET used = c.used + EXCLUDED.used, updated_at = EXCLUDED.updated_at
            WHERE ${fits(limitOf(sql`EXCLUDED.user_id`, feature.key), sql`c.used + EXCLUDED.used`)}
          RETURNING c.used
        )
        SELECT EXISTS (SELECT 1 FROM caller) AS user_exists,
               (SELECT lim FROM caller) AS lim,
               (SELECT used FROM counted) AS changed,
               (SELECT used FROM usage_counters
                 WHERE user_id = ${user} AND feature = ${feature.feature}::text AND period = ${period}::text) AS used_before`,
  );
  refuseUnknownUser(row);
  if (row.changed !== null) return state(request, row.lim, Number(row.changed));

  // Unlimited always fits, so a refusal without a number is a tier that has no such limit at all.
  if (typeof row.lim !== "number") {
    throw new ServiceError("forbidden", "feature_not_included", `The user's tier does not include ${feature.feature}.`);
  }
  const current = state(request, row.lim, Number(row.used_before ?? 0));
  const until = resetsAt ? ` until ${resetsAt.toISOString()}` : "";
  throw new ServiceError(
    "limit_reached",
    "limit_reached",
    `The user's ${feature.feature} limit of ${current.limit} is reached: ${current.remaining} remain${until}, ${amount} asked.`,
    {
      details: [{ path: "amount", message: `Only ${current.remaining} of ${current.limit} remain${until}.` }],
      retryAfter: resetsAt ? Math.max(1, Math.ceil((resetsAt.getTime() - now.getTime()) / 1000)) : undefined,
    },
  );
}

/** Gives back part of a running total (a document deleted); never below zero, never a daily window. */
export async function release(db: Database, request: UsageRequest): Promise<UsageState> {
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
  const [row] = await queryRows<Row>(
    db,
    sql`WITH released AS (
          UPDATE usage_counters SET used = used - ${amount}::bigint, updated_at = ${now.toISOString()}::timestamptz
          WHERE user_id = ${user} AND feature = ${feature.feature}::text AND period = ${period}::text
            AND used >= ${amount}::bigint
          RETURNING used
        )
        SELECT EXISTS (SELECT 1 FROM users WHERE id = ${user}) AS user_exists,
               ${limitOf(user, feature.key)} AS lim,
               (SELECT used FROM released) AS changed,
               (SELECT used FROM usage_counters
                 WHERE user_id = ${user} AND feature = ${feature.feature}::text AND period = ${period}::text) AS used_before`,
  );
  refuseUnknownUser(row);
  if (row.changed !== null) return state(request, row.lim, Number(row.changed));
  const used = Number(row.used_before ?? 0);
  throw new ServiceError(
    "conflict",
    "release_exceeds_usage",
    `Only ${used} ${feature.feature} are counted; ${amount} cannot be released.`,
    {
      details: [{ path: "amount", message: `At most ${used} can be released.` }],
    },
  );
}
