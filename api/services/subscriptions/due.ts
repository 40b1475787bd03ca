import { sql } from "drizzle-orm";
import { type Database, queryRows } from "../../../db/client/types.ts";
import { CURRENT_STATUS_LIST } from "../../../db/schema.ts";
import { CRON_BATCH_SIZE, cronBudget, type DrainBudget, type DrainStop, drainWithin } from "../drain-budget.ts";
import { fitSeatsOfEnded } from "../seats/index.ts";
import { isPaidTierSql } from "./store.ts";

export interface DueResult {
  /** Scheduled downgrades that took effect. */
  downgraded: number;
  /** Cancellations that ran out (the user is back on member). */
  expired: number;
  /** Paid periods rolled forward that no payment provider bills (Stripe renews its own). */
  renewed: number;
  batches: number;
  /** Wall-clock milliseconds the batches took (the budget's timer, not the business clock). */
  elapsedMs: number;
  stoppedBy: DrainStop;
  /** True when the budget ran out with work possibly left; the next run continues. */
  more: boolean;
}

/**
 * Locks up to `limit` rows whose ends_at has passed (with their users, so no user operation is
 * mid-change) and expires them. SKIP LOCKED lets concurrent runs share the work: a row is taken by
 * exactly one run, and a row it skips is no longer due once the holder commits.
 */
async function expireEnded(tx: Database, now: string, limit: number): Promise<string[]> {
  const rows = await queryRows<{ id: string }>(
    tx,
    sql`WITH due AS (
          SELECT s.id FROM user_subscriptions s JOIN users u ON u.id = s.user_id
          WHERE s.status IN (${sql.raw(CURRENT_STATUS_LIST)}) AND s.ends_at IS NOT NULL AND s.ends_at <= ${now}::timestamptz
          ORDER BY s.ends_at
          LIMIT ${limit}
          FOR UPDATE OF s, u SKIP LOCKED)
        UPDATE user_subscriptions s SET status = 'expired', updated_at = ${now}::timestamptz
        FROM due WHERE s.id = due.id
        RETURNING s.id`,
  );
  return rows.map((row) => row.id);
}

/**
 * Starts each expired row's successor at the moment it ended: the scheduled tier (same cycle and
 * billing anchor) or member, points the user at it and writes the history row.
 */
async function startSuccessors(tx: Database, ids: string[], now: string): Promise<{ action: string }[]> {
  return queryRows<{ action: string }>(
    tx,
    sql`WITH ended AS (
          SELECT e.*, t.slug AS next_slug, ${isPaidTierSql("t")} AS next_paid
          FROM user_subscriptions e
          JOIN user_tiers t ON t.slug = coalesce(e.scheduled_tier_slug, 'member')
          WHERE e.id IN (SELECT jsonb_array_elements_text(${JSON.stringify(ids)}::jsonb)::uuid)
        ), started AS (
          INSERT INTO user_subscriptions (user_id, tier_slug, billing_cycle, status, started_at,
            current_period_start, current_period_end, billing_anchor_at, payment_provider, payment_provider_id,
            created_at, updated_at)
          SELECT e.user_id, e.next_slug,
                 CASE WHEN e.next_paid THEN e.billing_cycle END, 'active', e.ends_at, e.ends_at,
                 CASE WHEN e.next_paid THEN (billing_period_at(e.billing_anchor_at, e.billing_cycle, e.ends_at)).period_end END,
                 CASE WHEN e.next_paid THEN e.billing_anchor_at END,
                 -- A paid downgrade stays billed where it was (Stripe's schedule changes the price then).
                 CASE WHEN e.next_paid THEN e.payment_provider END, CASE WHEN e.next_paid THEN e.payment_provider_id END,
                 ${now}::timestamptz, ${now}::timestamptz
          FROM ended e
          RETURNING id, user_id, tier_slug
        ), linked AS (
          UPDATE users u SET subscription_id = st.id, current_tier_slug = st.tier_slug, updated_at = ${now}::timestamptz
          FROM started st WHERE u.id = st.user_id
        )
        INSERT INTO subscription_history (user_id, subscription_id, action, from_tier_slug, to_tier_slug,
                                          payment_provider, provider_subscription_id, created_at)
        SELECT e.user_id, st.id, CASE WHEN e.scheduled_tier_slug IS NULL THEN 'expired' ELSE 'downgraded' END,
               e.tier_slug, st.tier_slug, e.payment_provider, e.payment_provider_id, ${now}::timestamptz
        FROM ended e JOIN started st ON st.user_id = e.user_id
        RETURNING action`,
  );
}

/**
 * Rolls active paid rows whose period ended forward to the period containing `now`. Rows a payment
 * provider bills are renewed by its invoices (invoice.paid), never here.
 */
async function renewEnded(db: Database, now: string, limit: number): Promise<number> {
  const rows = await queryRows<{ id: string }>(
    db,
    sql`WITH due AS (
          SELECT s.id, p.period_start, p.period_end
          FROM user_subscriptions s JOIN users u ON u.id = s.user_id
          CROSS JOIN LATERAL billing_period_at(s.billing_anchor_at, s.billing_cycle, ${now}::timestamptz) p
          WHERE s.status = 'active' AND s.ends_at IS NULL AND s.billing_cycle IS NOT NULL AND s.payment_provider IS NULL
            AND s.current_period_end <= ${now}::timestamptz
          ORDER BY s.current_period_end
          LIMIT ${limit}
          FOR UPDATE OF s, u SKIP LOCKED
        ), renewed AS (
          UPDATE user_subscriptions s
          SET current_period_start = due.period_start, current_period_end = due.period_end, updated_at = ${now}::timestamptz
          FROM due WHERE s.id = due.id
          RETURNING s.id, s.user_id, s.tier_slug
        )
        INSERT INTO subscription_history (user_id, subscription_id, action, from_tier_slug, to_tier_slug, created_at)
        SELECT user_id, id, 'renewed', tier_slug, tier_slug, ${now}::timestamptz FROM renewed
        RETURNING subscription_id AS id`,
  );
  return rows.length;
}

/**
 * Applies everything that fell due by `now`: downgrades and cancellations whose ends_at passed, then
 * renewals (including successors that are themselves already past their first period, so a run
 * after days of downtime catches up). Each batch is one transaction; batches go on while the budget
 * allows (drainWithin), and a later run picks up the rest. Idempotent: nothing is due twice.
 */
export async function processDue(
  db: Database,
  options: { now: Date; batchSize?: number } & Partial<DrainBudget>,
): Promise<DueResult> {
  const now = options.now.toISOString();
  const batchSize = options.batchSize ?? CRON_BATCH_SIZE;
  const counts = { downgraded: 0, expired: 0, renewed: 0 };
  const drained = await drainWithin(cronBudget(options), async () => {
    const actions = await db.transaction(async (tx) => {
      const ids = await expireEnded(tx, now, batchSize);
      if (!ids.length) return [];
      const started = await startSuccessors(tx, ids, now);
      // Access that ended takes its seats with it, in the same transaction.
      await fitSeatsOfEnded(tx, ids, options.now);
      return started;
    });
    const renewed = await renewEnded(db, now, batchSize);
    counts.downgraded += actions.filter((row) => row.action === "downgraded").length;
    counts.expired += actions.filter((row) => row.action === "expired").length;
    counts.renewed += renewed;
    return actions.length < batchSize && renewed < batchSize ? "short" : "full";
  });
  return { ...counts, ...drained, more: drained.stoppedBy !== "drained" };
}
