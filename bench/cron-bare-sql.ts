import { CURRENT_STATUS_LIST } from "../db/schema.ts";

// The cron's work over the seeded due rows as bare set-based SQL: all rows at once, no batches, no
// row locks, no ORM. $1 is the run's `now`.

/** Each active paid row whose period ended, with the period containing `now`. */
const RENEWALS = `(SELECT s2.id, p.period_start, p.period_end FROM user_subscriptions s2
   CROSS JOIN LATERAL billing_period_at(s2.billing_anchor_at, s2.billing_cycle, $1::timestamptz) p
   WHERE s2.status = 'active' AND s2.ends_at IS NULL AND s2.billing_cycle IS NOT NULL
     AND s2.current_period_end <= $1::timestamptz) p`;

/** The baseline, "one bare set-based UPDATE": it only marks the rows (expired, or renewed). */
export const BARE_UPDATE = [
  `UPDATE user_subscriptions SET status = 'expired', updated_at = $1::timestamptz
   WHERE status IN (${CURRENT_STATUS_LIST}) AND ends_at IS NOT NULL AND ends_at <= $1::timestamptz`,
  `UPDATE user_subscriptions s SET current_period_start = p.period_start, current_period_end = p.period_end,
          updated_at = $1::timestamptz
   FROM ${RENEWALS} WHERE s.id = p.id`,
];

/**
 * Every write the cron makes (successor rows, user links, history rows), still set-based and
 * unbatched: what the same state change costs without the cron's batching and locking.
 */
export const BARE_EQUIVALENT = [
  `WITH ended AS (
     UPDATE user_subscriptions s SET status = 'expired', updated_at = $1::timestamptz
     WHERE status IN (${CURRENT_STATUS_LIST}) AND ends_at IS NOT NULL AND ends_at <= $1::timestamptz
     RETURNING s.*
   ), started AS (
     INSERT INTO user_subscriptions (user_id, tier_slug, billing_cycle, status, started_at, current_period_start,
                                     current_period_end, billing_anchor_at, created_at, updated_at)
     SELECT e.user_id, t.slug, CASE WHEN t.monthly_price_cents > 0 THEN e.billing_cycle END, 'active', e.ends_at, e.ends_at,
            CASE WHEN t.monthly_price_cents > 0 THEN (billing_period_at(e.billing_anchor_at, e.billing_cycle, e.ends_at)).period_end END,
            CASE WHEN t.monthly_price_cents > 0 THEN e.billing_anchor_at END, $1::timestamptz, $1::timestamptz
     FROM ended e JOIN user_tiers t ON t.slug = coalesce(e.scheduled_tier_slug, 'member')
     RETURNING id, user_id, tier_slug
   ), linked AS (
     UPDATE users u SET subscription_id = st.id, current_tier_slug = st.tier_slug, updated_at = $1::timestamptz
     FROM started st WHERE u.id = st.user_id
   )
   INSERT INTO subscription_history (user_id, subscription_id, action, from_tier_slug, to_tier_slug, created_at)
   SELECT e.user_id, st.id, CASE WHEN e.scheduled_tier_slug IS NULL THEN 'expired' ELSE 'downgraded' END,
          e.tier_slug, st.tier_slug, $1::timestamptz
   FROM ended e JOIN started st ON st.user_id = e.user_id`,
  `WITH renewed AS (
     UPDATE user_subscriptions s SET current_period_start = p.period_start, current_period_end = p.period_end,
            updated_at = $1::timestamptz
     FROM ${RENEWALS} WHERE s.id = p.id
     RETURNING s.id, s.user_id, s.tier_slug
   )
   INSERT INTO subscription_history (user_id, subscription_id, action, from_tier_slug, to_tier_slug, created_at)
   SELECT user_id, id, 'renewed', tier_slug, tier_slug, $1::timestamptz FROM renewed`,
];
