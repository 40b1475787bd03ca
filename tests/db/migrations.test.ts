import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { assignTier, cancel, upgrade } from "../../api/services/subscriptions/index.ts";
import { queryRows } from "../../db/client/types.ts";
import { countIn, rollBackThrough as rollBackFrom } from "../support/rollbacks.ts";
import { createTestDatabase, migrationsUpTo, type TestDatabase } from "../support/test-db.ts";

let handle: TestDatabase;
beforeAll(async () => {
  handle = await createTestDatabase({ migrate: false });
});
afterAll(() => handle.close());

const count = (query: ReturnType<typeof sql>) => countIn(handle, query);
const rollBackThrough = (oldest: number) => rollBackFrom(handle, oldest);

const tierObjects = () =>
  count(sql`SELECT (SELECT count(*) FROM pg_tables WHERE schemaname = 'public' AND tablename IN
                      ('user_tiers', 'user_subscriptions', 'subscription_history', 'rate_limits', 'idempotency_keys',
                       'service_keys', 'usage_counters', 'service_idempotency_keys'))
                 + (SELECT count(*) FROM pg_views WHERE viewname = 'user_subscription_details')
                 + (SELECT count(*) FROM pg_proc WHERE proname IN
                      ('get_user_tier', 'user_has_tier_level', 'billing_period_at', 'subscription_history_append_only'))
                 + (SELECT count(*) FROM information_schema.columns WHERE table_name = 'users'
                      AND column_name IN ('subscription_id', 'current_tier_slug')) AS n`);

const sessionObjects = () =>
  count(sql`SELECT (SELECT count(*) FROM pg_tables WHERE schemaname = 'public' AND tablename IN ('auth_sessions', 'refresh_tokens'))
                 + (SELECT count(*) FROM pg_proc WHERE proname = 'bump_plan_version')
                 + (SELECT count(*) FROM pg_trigger WHERE tgname = 'subscription_history_bump_plan_version')
                 + (SELECT count(*) FROM information_schema.columns WHERE table_name = 'users' AND column_name = 'plan_version') AS n`);

const planVersions = () =>
  queryRows<{ email: string; plan_version: number; history: number }>(
    handle.db,
    sql`SELECT u.email, u.plan_version,
               (SELECT count(*)::int FROM subscription_history h WHERE h.user_id = u.id) AS history
        FROM users u ORDER BY u.created_at`,
  );

const usersBefore = [
  ["ada@example.com", "Ada", "2023-05-01T09:00:00Z", "Mathematician"],
  ["Grace@Example.com", "Grace", "2023-06-02T10:00:00Z", null],
  ["linus@example.com", "Linus", "2024-01-03T11:00:00Z", "Kernel hacker"],
] as const;

describe("migrations", () => {
  it("0001 is the app before tiers; 0002 backfills a member subscription and history for every user", async () => {
    await handle.migrate(migrationsUpTo(1));
    expect(await tierObjects()).toBe(0);
    for (const [email, name, created, job] of usersBefore) {
      await handle.db.execute(sql`INSERT INTO users (email, display_name, password_hash, job_title, created_at, updated_at)
                                  VALUES (${email}, ${name}, 'hash', ${job}, ${created}::timestamptz, ${created}::timestamptz)`);
    }
    await expect(
      handle.db.execute(
        sql`INSERT INTO users (email, display_name, password_hash) VALUES ('ADA@example.com', 'Dup', 'h')`,
      ),
    ).rejects.toThrow();

    await handle.migrate();
    const rows = await queryRows<{ email: string; tier: string; sub_ok: boolean; started: string; history: number }>(
      handle.db,
      sql`SELECT u.email, u.current_tier_slug AS tier, (u.subscription_id = s.id) AS sub_ok,
                 to_char(s.started_at AT TIME ZONE 'UTC', 'YYYY-MM-DD') AS started,
                 (SELECT count(*)::int FROM subscription_history h
                   WHERE h.user_id = u.id AND h.action = 'created' AND h.to_tier_slug = 'member') AS history
          FROM users u JOIN user_subscriptions s ON s.user_id = u.id AND s.status = 'active'
          ORDER BY u.created_at`,
    );
    expect(rows).toEqual(
      usersBefore.map(([email, , created]) => ({
        email,
        tier: "member",
        sub_ok: true,
        started: created.slice(0, 10),
        history: 1,
      })),
    );
    const tiers = await queryRows<{
      slug: string;
      tier_level: number;
      monthly_price_cents: number;
      annual_price_cents: number;
    }>(
      handle.db,
      sql`SELECT slug, tier_level, monthly_price_cents, annual_price_cents FROM user_tiers ORDER BY tier_level`,
    );
    expect(tiers.map((t) => t.slug)).toEqual(["member", "pro", "business", "elite", "family"]);
    expect(tiers[1]).toMatchObject({ monthly_price_cents: 999, annual_price_cents: 9990 });
    for (const tier of tiers) expect(tier.annual_price_cents).toBe(tier.monthly_price_cents * 10);
  });

  it("provides get_user_tier, user_has_tier_level and the user_subscription_details view", async () => {
    const [ada, grace] = await queryRows<{ id: string }>(handle.db, sql`SELECT id FROM users ORDER BY created_at`);
    const now = new Date("2024-06-01T00:00:00Z");
    await upgrade(handle.db, { userId: ada!.id, tierSlug: "business", billingCycle: "monthly", now });
    await assignTier(handle.db, {
      adminId: ada!.id,
      userId: grace!.id,
      tierSlug: "pro",
      billingCycle: "annual",
      reason: "Beta",
      now,
    });
    await cancel(handle.db, { userId: grace!.id, now });

    const [fn] = await queryRows<Record<string, unknown>>(
      handle.db,
      sql`SELECT get_user_tier(${ada!.id}::uuid) AS ada, get_user_tier(${grace!.id}::uuid) AS grace,
                 get_user_tier(gen_random_uuid()) AS nobody,
                 user_has_tier_level(${ada!.id}::uuid, 3) AS ada3, user_has_tier_level(${ada!.id}::uuid, 4) AS ada4,
                 user_has_tier_level(${grace!.id}::uuid, 2) AS grace2`,
    );
    expect(fn).toEqual({ ada: "business", grace: "pro", nobody: null, ada3: true, ada4: false, grace2: true });

    const view = await queryRows<{
      email: string;
      tier_slug: string;
      tier_level: number;
      status: string;
      billing_cycle: string | null;
    }>(
      handle.db,
      sql`SELECT email, tier_slug, tier_level, status, billing_cycle FROM user_subscription_details ORDER BY lower(email)`,
    );
    expect(view).toEqual([
      { email: "ada@example.com", tier_slug: "business", tier_level: 3, status: "active", billing_cycle: "monthly" },
      { email: "Grace@Example.com", tier_slug: "pro", tier_level: 2, status: "cancelled", billing_cycle: "annual" },
      { email: "linus@example.com", tier_slug: "member", tier_level: 1, status: "active", billing_cycle: null },
    ]);
  });

  it("0008 gives a seat member the owner's tier; its rollback keeps the audit rows and 0008 applies again", async () => {
    const [ada, , linus] = await queryRows<{ id: string; subscription_id: string }>(
      handle.db,
      sql`SELECT id, subscription_id FROM users ORDER BY created_at`,
    );
    const seatTables = () =>
      count(sql`SELECT count(*) AS n FROM pg_tables WHERE tablename IN ('seat_invitations', 'seat_memberships')`);
    const tierOf = async (id: string) =>
      (
        await queryRows<{ tier: string; level3: boolean }>(
          handle.db,
          sql`SELECT get_user_tier(${id}::uuid) AS tier, user_has_tier_level(${id}::uuid, 3) AS level3`,
        )
      )[0];
    expect(await seatTables()).toBe(2);
    await handle.db.execute(
      sql`INSERT INTO seat_memberships (member_id, owner_id, joined_at) VALUES (${linus!.id}::uuid, ${ada!.id}::uuid, now())`,
    );
    await handle.db.execute(sql`INSERT INTO subscription_history (user_id, subscription_id, action, to_tier_slug)
                                VALUES (${linus!.id}::uuid, ${linus!.subscription_id}::uuid, 'seat_joined', 'business')`);
    expect(await tierOf(linus!.id)).toEqual({ tier: "business", level3: true });
    await expect(
      handle.db.execute(
        sql`INSERT INTO seat_memberships (member_id, owner_id, joined_at) VALUES (${ada!.id}::uuid, ${ada!.id}::uuid, now())`,
      ),
    ).rejects.toThrow();

    await rollBackThrough(8);
    expect(await seatTables()).toBe(0);
    expect(await tierOf(linus!.id)).toEqual({ tier: "member", level3: false });
    expect(await count(sql`SELECT count(*) AS n FROM subscription_history WHERE action = 'seat_joined'`)).toBe(1);
    await expect(
      handle.db.execute(sql`INSERT INTO subscription_history (user_id, subscription_id, action)
                            VALUES (${linus!.id}::uuid, ${linus!.subscription_id}::uuid, 'seat_left')`),
    ).rejects.toThrow();

    await handle.migrate();
    expect(await seatTables()).toBe(2);
    expect(await tierOf(linus!.id)).toEqual({ tier: "member", level3: false });
    await handle.db.execute(sql`INSERT INTO subscription_history (user_id, subscription_id, action)
                                VALUES (${linus!.id}::uuid, ${linus!.subscription_id}::uuid, 'seat_left')`);
  });

  it("rolls back to the 0001 state with every user intact, and 0002 applies again afterwards", async () => {
    const before = await queryRows(
      handle.db,
      sql`SELECT id, email, display_name, job_title, created_at FROM users ORDER BY id`,
    );
    await rollBackThrough(2);
    expect(await tierObjects()).toBe(0);
    expect(
      await queryRows(handle.db, sql`SELECT id, email, display_name, job_title, created_at FROM users ORDER BY id`),
    ).toEqual(before);

    await handle.migrate();
    expect(
      await count(
        sql`SELECT count(*) AS n FROM users WHERE current_tier_slug = 'member' AND subscription_id IS NOT NULL`,
      ),
    ).toBe(3);
    expect(await count(sql`SELECT count(*) AS n FROM subscription_history WHERE action = 'created'`)).toBe(3);
    expect(await tierObjects()).toBe(15);
  });

  it("0005 backfills plan_version from the history, bumps it on every history row, and rolls back and applies again", async () => {
    expect(await sessionObjects()).toBe(5);
    const versions = await planVersions();
    expect(versions.every((row) => row.plan_version === row.history && row.history > 0)).toBe(true);

    const [ada] = await queryRows<{ id: string }>(handle.db, sql`SELECT id FROM users ORDER BY created_at LIMIT 1`);
    const before = versions[0]!.plan_version;
    await upgrade(handle.db, {
      userId: ada!.id,
      tierSlug: "pro",
      billingCycle: "monthly",
      now: new Date("2024-06-02T00:00:00Z"),
    });
    expect((await planVersions())[0]!.plan_version).toBe(before + 1);

    await handle.db.execute(sql`INSERT INTO auth_sessions (user_id) VALUES (${ada!.id}::uuid)`);
    // 0006 to 0010 came after 0005 (0005's rollback forgets them too), so they are rolled back first, newest first.
    await rollBackThrough(5);
    expect(await sessionObjects()).toBe(0);
    expect(await count(sql`SELECT count(*) AS n FROM users`)).toBe(3);

    await handle.migrate();
    expect(await sessionObjects()).toBe(5);
    expect((await planVersions()).every((row) => row.plan_version === row.history)).toBe(true);
  });

  it("0007: trialing and past_due are current everywhere; its rollback returns them to active and 0007 applies again", async () => {
    const [ada, grace, linus] = await queryRows<{ id: string }>(
      handle.db,
      sql`SELECT id FROM users ORDER BY created_at`,
    );
    const now = new Date("2024-07-01T00:00:00Z");
    // Annual: the 0005 test before this one may have put Ada on Pro monthly already.
    await upgrade(handle.db, { userId: ada!.id, tierSlug: "pro", billingCycle: "annual", now });
    await upgrade(handle.db, { userId: grace!.id, tierSlug: "business", billingCycle: "monthly", now });
    await handle.db.execute(sql`UPDATE user_subscriptions SET status = 'trialing', payment_provider = 'stripe',
                                       payment_provider_id = 'sub_ada' WHERE user_id = ${ada!.id}::uuid AND status = 'active'`);
    await handle.db.execute(sql`UPDATE user_subscriptions SET status = 'past_due', grace_until = '2024-07-08Z'
                                WHERE user_id = ${grace!.id}::uuid AND status = 'active'`);
    // past_due needs its grace, and a provider needs its id.
    await expect(
      handle.db.execute(
        sql`UPDATE user_subscriptions SET status = 'past_due' WHERE user_id = ${linus!.id}::uuid AND status = 'active'`,
      ),
    ).rejects.toThrow();
    await expect(
      handle.db.execute(
        sql`UPDATE user_subscriptions SET payment_provider = 'stripe' WHERE user_id = ${linus!.id}::uuid`,
      ),
    ).rejects.toThrow();
    // Still one current row per user with the new statuses.
    await expect(
      handle.db.execute(sql`INSERT INTO user_subscriptions (user_id, tier_slug, status, started_at, current_period_start)
                            VALUES (${ada!.id}::uuid, 'member', 'active', now(), now())`),
    ).rejects.toThrow();

    const [fn] = await queryRows<Record<string, unknown>>(
      handle.db,
      sql`SELECT get_user_tier(${ada!.id}::uuid) AS ada, get_user_tier(${grace!.id}::uuid) AS grace,
                 user_has_tier_level(${ada!.id}::uuid, 2) AS ada2, user_has_tier_level(${grace!.id}::uuid, 3) AS grace3,
                 (SELECT count(*)::int FROM user_subscription_details WHERE status IN ('trialing', 'past_due')) AS in_view,
                 (SELECT trial_days FROM user_tiers WHERE slug = 'pro') AS pro_trial`,
    );
    expect(fn).toEqual({ ada: "pro", grace: "business", ada2: true, grace3: true, in_view: 2, pro_trial: 14 });
    await handle.db.execute(sql`INSERT INTO payment_events (provider, event_id, event_type, received_at)
                                VALUES ('stripe', 'evt_1', 'invoice.paid', now())`);
    await handle.db.execute(sql`INSERT INTO subscription_history (user_id, subscription_id, action, payment_provider, provider_subscription_id)
                                SELECT user_id, id, 'payment_failed', 'stripe', 'sub_grace' FROM user_subscriptions
                                WHERE user_id = ${grace!.id}::uuid AND status = 'past_due'`);
    // 0008's one definition of access counts a trial and a payment in its grace period.
    expect(
      await count(sql`SELECT count(*) AS n FROM user_subscriptions s
                      WHERE s.status IN ('trialing', 'past_due') AND subscription_gives_access(s)`),
    ).toBe(2);

    // 0008 builds on 0007 (its functions read 0007's columns), so it is rolled back first, after 0010.
    await rollBackThrough(7);
    const after = await queryRows<{ status: string; n: number }>(
      handle.db,
      sql`SELECT status, count(*)::int AS n FROM user_subscription_details GROUP BY status ORDER BY status`,
    );
    expect(after).toEqual([{ status: "active", n: 3 }]);
    expect(await count(sql`SELECT get_user_tier(${grace!.id}::uuid) = 'business' AS n`)).toBe(1);
    expect(
      await count(sql`SELECT (SELECT count(*) FROM information_schema.columns WHERE column_name IN
                                ('grace_until', 'stripe_customer_id', 'trial_days', 'price_lookup_keys', 'provider_subscription_id'))
                           + (SELECT count(*) FROM pg_tables WHERE tablename = 'payment_events') AS n`),
    ).toBe(0);
    // The audit trail kept its payment row; only new rows meet the older action list.
    expect(await count(sql`SELECT count(*) AS n FROM subscription_history WHERE action = 'payment_failed'`)).toBe(1);

    await handle.migrate();
    expect(await count(sql`SELECT count(*) AS n FROM user_tiers WHERE trial_days = 14`)).toBe(1);
    expect(await count(sql`SELECT count(*) AS n FROM pg_tables WHERE tablename = 'payment_events'`)).toBe(1);
    expect(
      await count(sql`SELECT count(*) AS n FROM pg_tables WHERE tablename IN ('seat_invitations', 'seat_memberships')`),
    ).toBe(2);
  });
});
