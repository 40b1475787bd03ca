import type pg from "pg";
import { bulkLoad } from "./bulk-load.ts";

/** The instant the seeded rows fell due by; the cron benchmark runs at DUE_NOW. */
export const DUE_ANCHOR = "2025-01-15T09:00:00Z";
export const DUE_PERIOD_END = "2025-02-15T09:00:00Z";
export const DUE_NOW = new Date("2025-02-16T00:00:00Z");

/**
 * `count` users whose paid subscriptions are all due at DUE_NOW, in equal thirds: cancellations that
 * ran out (-> member), downgrades scheduled for period end (business -> pro) and plain renewals.
 * Set-based with generate_series.
 */
export async function seedDueSubscriptions(client: pg.ClientBase, count: number): Promise<void> {
  await bulkLoad(client, ["users", "user_subscriptions"], async () => {
    await client.query(
      `INSERT INTO users (id, email, display_name, password_hash, subscription_id, current_tier_slug, created_at, updated_at)
     SELECT md5('due-user-' || g)::uuid, 'due' || g || '@bench.local', 'Due ' || g, 'not-a-hash',
            md5('due-sub-' || g)::uuid, CASE g % 3 WHEN 1 THEN 'business' ELSE 'pro' END,
            $2::timestamptz, $2::timestamptz
     FROM generate_series(1, $1::int) g`,
      [count, DUE_ANCHOR],
    );
    await client.query(
      `INSERT INTO user_subscriptions (id, user_id, tier_slug, billing_cycle, status, started_at, current_period_start,
                                     current_period_end, billing_anchor_at, cancelled_at, ends_at, scheduled_tier_slug,
                                     created_at, updated_at)
     SELECT md5('due-sub-' || g)::uuid, md5('due-user-' || g)::uuid,
            CASE g % 3 WHEN 1 THEN 'business' ELSE 'pro' END, 'monthly',
            CASE g % 3 WHEN 0 THEN 'cancelled' ELSE 'active' END,
            $2::timestamptz, $2::timestamptz, $3::timestamptz, $2::timestamptz,
            CASE g % 3 WHEN 0 THEN $2::timestamptz + interval '3 days' END,
            CASE g % 3 WHEN 2 THEN NULL ELSE $3::timestamptz END,
            CASE g % 3 WHEN 1 THEN 'pro' END,
            $2::timestamptz, $2::timestamptz
     FROM generate_series(1, $1::int) g`,
      [count, DUE_ANCHOR, DUE_PERIOD_END],
    );
  });
}
