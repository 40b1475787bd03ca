import { eq, sql } from "drizzle-orm";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runScheduledPass } from "../../api/services/scheduled-pass.ts";
import {
  assignTier,
  cancel,
  processDue,
  resume,
  SubscriptionError,
  scheduleDowngrade,
  upgrade,
} from "../../api/services/subscriptions/index.ts";
import { queryRows } from "../../db/client/types.ts";
import { CURRENT_STATUS_LIST, subscriptionHistory } from "../../db/schema.ts";
import { at, createMember } from "../support/fixtures.ts";
import { steppingTimer } from "../support/step-timer.ts";
import { createTestDatabase, type TestDatabase, usingPostgres } from "../support/test-db.ts";

// On PostgreSQL these calls really race on separate connections; on PGlite (one connection) they
// queue, which still proves the invariants but not the locking — CI runs both.
let handle: TestDatabase;
beforeAll(async () => {
  handle = await createTestDatabase({ max: 30 });
});
afterAll(() => handle.close());

const now = at("2025-03-01T00:00:00.000Z");

async function invariants() {
  return queryRows<{ problems: number }>(
    handle.db,
    sql`SELECT count(*)::int AS problems FROM users u
        WHERE (SELECT count(*) FROM user_subscriptions s WHERE s.user_id = u.id AND s.status IN (${sql.raw(CURRENT_STATUS_LIST)})) <> 1
           OR u.subscription_id IS DISTINCT FROM
              (SELECT s.id FROM user_subscriptions s WHERE s.user_id = u.id AND s.status IN (${sql.raw(CURRENT_STATUS_LIST)}))
           OR u.current_tier_slug IS DISTINCT FROM
              (SELECT s.tier_slug FROM user_subscriptions s WHERE s.user_id = u.id AND s.status IN (${sql.raw(CURRENT_STATUS_LIST)}))`,
  );
}

/** `count` pro subscriptions cancelled last month (due at `now`), inserted set-based to keep the test quick. */
async function seedCancelled(prefix: string, count: number) {
  await handle.db.execute(sql`
    WITH new_users AS (
      INSERT INTO users (email, display_name, password_hash)
      SELECT ${prefix} || g || '@example.com', ${prefix} || g, 'x' FROM generate_series(1, ${count}::int) g
      RETURNING id
    ), subs AS (
      INSERT INTO user_subscriptions (user_id, tier_slug, billing_cycle, status, started_at, current_period_start,
                                      current_period_end, billing_anchor_at, cancelled_at, ends_at)
      SELECT id, 'pro', 'monthly', 'cancelled', '2025-01-15Z', '2025-01-15Z', '2025-02-15Z', '2025-01-15Z', '2025-02-01Z', '2025-02-15Z'
      FROM new_users
      RETURNING id, user_id
    )
    UPDATE users u SET subscription_id = subs.id, current_tier_slug = 'pro' FROM subs WHERE u.id = subs.user_id`);
}

/** History rows of `action` for the users of `prefix`, and how many distinct users they cover. */
async function historyOf(prefix: string, action: string) {
  const [row] = await queryRows<{ rows: number; users: number }>(
    handle.db,
    sql`SELECT count(*)::int AS rows, count(DISTINCT h.user_id)::int AS users
        FROM subscription_history h JOIN users u ON u.id = h.user_id
        WHERE u.email LIKE ${`${prefix}%`} AND h.action = ${action}`,
  );
  return row;
}

describe(`concurrent changes (${usingPostgres ? "PostgreSQL" : "PGlite"})`, () => {
  it("20 concurrent upgrades, assigns, cancels and resumes on one user leave one current row and one history row per success", async () => {
    const { user: admin } = await createMember(handle.db, now);
    const { user } = await createMember(handle.db, now);
    const tiers = ["pro", "business", "elite", "family"] as const;
    const calls = Array.from({ length: 20 }, (_, i) => {
      const tierSlug = tiers[i % tiers.length]!;
      switch (i % 5) {
        case 0:
          return upgrade(handle.db, { userId: user.id, tierSlug, billingCycle: "monthly", now });
        case 1:
          return assignTier(handle.db, {
            adminId: admin.id,
            userId: user.id,
            tierSlug,
            billingCycle: "annual",
            reason: `r${i}`,
            now,
          });
        case 2:
          return cancel(handle.db, { userId: user.id, now });
        case 3:
          return resume(handle.db, { userId: user.id, now });
        default:
          return scheduleDowngrade(handle.db, { userId: user.id, tierSlug: "member", now });
      }
    });
    const results = await Promise.allSettled(calls);
    const failures = results.filter((r) => r.status === "rejected");
    for (const failure of failures) expect(failure.reason).toBeInstanceOf(SubscriptionError);
    const successes = results.length - failures.length;
    expect(successes).toBeGreaterThan(0);

    expect((await invariants())[0]?.problems).toBe(0);
    const history = await handle.db.select().from(subscriptionHistory).where(eq(subscriptionHistory.userId, user.id));
    expect(history).toHaveLength(1 + successes);
  });

  it("two concurrent processDue runs over 1,000 due rows drain them, each row exactly once", async () => {
    const before = await queryRows<{ n: number }>(
      handle.db,
      sql`SELECT count(*)::int AS n FROM subscription_history WHERE action = 'expired'`,
    );
    await seedCancelled("bulk", 1000);

    // Batches of 50 under the cron's own budget: each run goes on until it finds too few rows left.
    const [a, b] = await Promise.all([
      processDue(handle.db, { now, batchSize: 50 }),
      processDue(handle.db, { now, batchSize: 50 }),
    ]);
    expect(a.expired + b.expired).toBe(1000);
    expect([a.stoppedBy, b.stoppedBy]).toEqual(["drained", "drained"]);
    const [after] = await queryRows<{ n: number }>(
      handle.db,
      sql`SELECT count(*)::int AS n FROM subscription_history WHERE action = 'expired'`,
    );
    expect(after!.n - before[0]!.n).toBe(1000);
    const [members] = await queryRows<{ n: number }>(
      handle.db,
      sql`SELECT count(*)::int AS n FROM users WHERE email LIKE 'bulk%' AND current_tier_slug = 'member'`,
    );
    expect(members!.n).toBe(1000);
    expect((await invariants())[0]?.problems).toBe(0);
  });

  it("two scheduled passes that overlap and run out of budget apply each row once; the next pass finishes", async () => {
    await seedCancelled("olap", 600);
    // Both passes (two cron triggers at once) claim batches of 50 with SKIP LOCKED; each batch takes
    // a second on its pass's timer, so each stops after two batches, for the budget, with rows left.
    const overlapping = () =>
      runScheduledPass(handle.db, { now, batchSize: 50, wallMs: 2_500, timer: steppingTimer(1_000) });
    const [a, b] = await Promise.all([overlapping(), overlapping()]);
    expect([a, b]).toMatchObject([
      { expired: 100, batches: 2, stoppedBy: "time_budget", more: true },
      { expired: 100, batches: 2, stoppedBy: "time_budget", more: true },
    ]);
    expect(await historyOf("olap", "expired")).toEqual({ rows: 200, users: 200 });

    const rest = await runScheduledPass(handle.db, { now, batchSize: 50 });
    expect(rest).toMatchObject({ expired: 400, stoppedBy: "drained", more: false });
    expect(await historyOf("olap", "expired")).toEqual({ rows: 600, users: 600 });
    expect((await invariants())[0]?.problems).toBe(0);
  });

  it.skipIf(!usingPostgres)(
    "a pass skips the rows another pass holds instead of waiting for them (PostgreSQL only: PGlite has one connection)",
    async () => {
      await seedCancelled("held", 30);
      const other = new pg.Client({ connectionString: handle.url });
      await other.connect();
      try {
        // Another pass mid-batch: ten of the due rows and their users locked, as its expiry statement locks them.
        await other.query("BEGIN");
        await other.query(`SELECT s.id FROM user_subscriptions s JOIN users u ON u.id = s.user_id
                           WHERE u.email LIKE 'held%' ORDER BY u.email LIMIT 10 FOR UPDATE OF s, u`);
        // Were it to wait for those rows it would never return while they are held, and the test would time out.
        expect(await processDue(handle.db, { now, batchSize: 50 })).toMatchObject({
          expired: 20,
          stoppedBy: "drained",
        });
      } finally {
        await other.query("ROLLBACK");
        await other.end();
      }
      expect(await processDue(handle.db, { now, batchSize: 50 })).toMatchObject({ expired: 10 });
      expect(await historyOf("held", "expired")).toEqual({ rows: 30, users: 30 });
    },
  );
});
