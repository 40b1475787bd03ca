import { and, lt, ne } from "drizzle-orm";
import type { Database } from "../../db/client/types.ts";
import { idempotencyKeys, rateLimits, serviceIdempotencyKeys, usageCounters } from "../../db/schema.ts";
import { CRON_BUDGET, type DrainBudget } from "./drain-budget.ts";
import { KEY_TTL_MS } from "./idempotency.ts";
import { endExpiredGrace, type StripeContext } from "./payments/index.ts";
import { purgeExpiredSessions } from "./sessions/sessions.ts";
import { type DueResult, processDue } from "./subscriptions/index.ts";
import { TOTAL_PERIOD, windowAt } from "./usage/windows.ts";

/** Rate-limit windows are at most this long; a row older than that counts nothing any more. */
const RATE_LIMIT_RETENTION_MS = 60 * 60 * 1000;
/** Closed per-day usage windows are kept this long (a month of history for support questions). */
const USAGE_DAY_RETENTION_MS = 35 * 24 * 60 * 60 * 1000;

export interface ScheduledPassResult extends DueResult {
  /** Rows the drain applied (downgraded + expired + renewed). */
  rows: number;
  /** Wall-clock milliseconds of the whole pass: the drain, then grace and the purges. */
  passMs: number;
  /** past_due subscriptions whose grace ran out (cancelled at Stripe, user back on member). */
  graceEnded: number;
  graceFailed: number;
  /** Users' and services' replay records together. */
  purgedIdempotencyKeys: number;
  purgedRateLimits: number;
  purgedRefreshTokens: number;
  purgedUsageWindows: number;
}

/**
 * What every cron tick does, on Workers and in Node alike: apply the subscription changes that fell
 * due, batch after batch while the budget allows (CRON_BUDGET unless the caller sets parts of it),
 * then drop replay records, rate-limit counters, refresh tokens and old per-day usage windows that
 * can no longer matter.
 */
export async function runScheduledPass(
  db: Database,
  options: { now: Date; batchSize?: number; payments?: StripeContext | null } & Partial<DrainBudget>,
): Promise<ScheduledPassResult> {
  const timer = options.timer ?? CRON_BUDGET.timer;
  const started = timer();
  const due = await processDue(db, { ...options, timer });
  const grace = options.payments
    ? await endExpiredGrace(options.payments, db, { now: options.now })
    : { ended: 0, failed: 0 };
  const keys = await db
    .delete(idempotencyKeys)
    .where(lt(idempotencyKeys.createdAt, new Date(options.now.getTime() - KEY_TTL_MS)))
    .returning({ key: idempotencyKeys.key });
  const serviceKeys = await db
    .delete(serviceIdempotencyKeys)
    .where(lt(serviceIdempotencyKeys.createdAt, new Date(options.now.getTime() - KEY_TTL_MS)))
    .returning({ key: serviceIdempotencyKeys.key });
  const limits = await db
    .delete(rateLimits)
    .where(lt(rateLimits.windowStart, new Date(options.now.getTime() - RATE_LIMIT_RETENTION_MS)))
    .returning({ key: rateLimits.key });
  const refreshTokens = await purgeExpiredSessions(db, options.now);
  // Day periods are ISO dates, so they order as text; running totals ('total') are never dropped.
  const oldestKept = windowAt("day", new Date(options.now.getTime() - USAGE_DAY_RETENTION_MS)).period;
  const windows = await db
    .delete(usageCounters)
    .where(and(ne(usageCounters.period, TOTAL_PERIOD), lt(usageCounters.period, oldestKept)))
    .returning({ period: usageCounters.period });
  return {
    ...due,
    rows: due.downgraded + due.expired + due.renewed,
    passMs: Math.round(timer() - started),
    graceEnded: grace.ended,
    graceFailed: grace.failed,
    purgedIdempotencyKeys: keys.length + serviceKeys.length,
    purgedRateLimits: limits.length,
    purgedRefreshTokens: refreshTokens,
    purgedUsageWindows: windows.length,
  };
}
