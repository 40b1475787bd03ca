import type pg from "pg";
import { bulkLoad } from "./bulk-load.ts";

/**
 * A UUID-shaped id numbered `n` in its `kind` (0 users, 1 subscriptions). Ascending ids keep the
 * primary-key inserts appending to the index instead of splitting random pages, which halves seeding.
 */
const seqUuid = (kind: number, n: string) =>
  `('${kind.toString(16).padStart(8, "0")}-0000-4000-8000-' || lpad(to_hex(${n}), 12, '0'))::uuid`;

/**
 * `users` users with `perUser` subscription rows each: the newest is current (active, or cancelled
 * for 1 in 20 paid ones), the older ones expired, as a history of tier changes leaves them. Tiers
 * follow a free-heavy mix (70% member, then pro, business, elite, family). created_at rises one
 * second per row, so the admin list's order is deterministic. Set-based with generate_series.
 */
export async function seedScaleSubscriptions(client: pg.ClientBase, users: number, perUser: number): Promise<void> {
  const start = "2020-01-01T00:00:00Z";
  await bulkLoad(client, ["users", "user_subscriptions"], async () => {
    await client.query(
      `CREATE TEMP TABLE seed_tier ON COMMIT DROP AS
       SELECT g AS n, CASE WHEN g < 70 THEN 'member' WHEN g < 85 THEN 'pro' WHEN g < 93 THEN 'business'
                           WHEN g < 98 THEN 'elite' ELSE 'family' END AS slug
       FROM generate_series(0, 99) g`,
    );
    await client.query(
      `INSERT INTO users (id, email, display_name, password_hash, subscription_id, current_tier_slug, created_at, updated_at)
       SELECT ${seqUuid(0, "u")}, 'user' || u || '@scale.local', 'User ' || u, 'not-a-hash',
              ${seqUuid(1, "u * $2::int")}, t.slug,
              $3::timestamptz + u * interval '1 second', $3::timestamptz + u * interval '1 second'
       FROM generate_series(1, $1::int) u JOIN seed_tier t ON t.n = u % 100`,
      [users, perUser, start],
    );
    await client.query(
      `INSERT INTO user_subscriptions (id, user_id, tier_slug, billing_cycle, status, started_at, current_period_start,
                                       current_period_end, billing_anchor_at, cancelled_at, ends_at, created_at, updated_at)
       SELECT ${seqUuid(1, "(u - 1) * $2::int + k")}, ${seqUuid(0, "u")}, t.slug,
              CASE WHEN t.slug <> 'member' THEN CASE WHEN u % 4 = 0 THEN 'annual' ELSE 'monthly' END END,
              CASE WHEN k < $2::int THEN 'expired' WHEN u % 20 = 0 AND t.slug <> 'member' THEN 'cancelled' ELSE 'active' END,
              at, at,
              CASE WHEN t.slug <> 'member' THEN at + interval '1 month' END,
              CASE WHEN t.slug <> 'member' THEN at END,
              CASE WHEN k = $2::int AND u % 20 = 0 AND t.slug <> 'member' THEN at END,
              CASE WHEN k < $2::int OR (u % 20 = 0 AND t.slug <> 'member') THEN at + interval '1 month' END,
              at, at
       FROM generate_series(1, $1::int) u
       CROSS JOIN generate_series(1, $2::int) k
       JOIN seed_tier t ON t.n = (u + k - $2::int + 100) % 100
       CROSS JOIN LATERAL (SELECT $3::timestamptz + ((k - 1) * $1::int + u) * interval '1 second' AS at) c`,
      [users, perUser, start],
    );
  });
}
