import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { processDue } from "../../api/services/subscriptions/index.ts";
import { queryRows } from "../../db/client/types.ts";
import { CURRENT_STATUS_LIST } from "../../db/schema.ts";
import { invariantViolations } from "../support/invariants.ts";
import { steppingTimer } from "../support/step-timer.ts";
import { createTestDatabase, type TestDatabase, usingPostgres } from "../support/test-db.ts";

// A cron run that dies or stops part-way must lose nothing: the failed batch rolls back whole, the
// batches before it stay committed, and the next run finishes the work, each due row exactly once.
// (Concurrent runs, budgeted or not: tests/services/concurrency.test.ts.)

let handle: TestDatabase;
beforeAll(async () => {
  handle = await createTestDatabase();
  // The fault: inserting a history row for a user listed in fault_users fails, as a crash between a
  // batch's first statement and its commit would.
  await handle.exec(`
    CREATE TABLE fault_users (user_id uuid PRIMARY KEY, mode text NOT NULL);
    CREATE FUNCTION inject_fault() RETURNS trigger LANGUAGE plpgsql AS $$
    DECLARE fault text;
    BEGIN
      SELECT mode INTO fault FROM fault_users WHERE user_id = NEW.user_id;
      IF fault = 'raise' THEN RAISE EXCEPTION 'injected fault for %', NEW.user_id; END IF;
      IF fault = 'kill' THEN PERFORM pg_terminate_backend(pg_backend_pid()); END IF;
      RETURN NEW;
    END $$;
    CREATE TRIGGER inject_fault BEFORE INSERT ON subscription_history FOR EACH ROW EXECUTE FUNCTION inject_fault();`);
});
afterAll(() => handle.close());

const now = new Date("2025-03-01T00:00:00.000Z");

/**
 * `count` users of `kind`, due one minute apart from `firstDue` so batches take them in a known
 * order: 'cancelled' runs out to member, 'downgrade' moves business -> pro, 'renewal' rolls over.
 */
async function seedDue(prefix: string, kind: "cancelled" | "downgrade" | "renewal", count: number, firstDue: string) {
  const rows = await queryRows<{ id: string }>(
    handle.db,
    sql`WITH new_users AS (
          INSERT INTO users (email, display_name, password_hash)
          SELECT ${prefix} || g || '@example.com', ${prefix} || g, 'x' FROM generate_series(1, ${count}::int) g
          RETURNING id, email
        ), numbered AS (
          SELECT id, substring(email FROM '[0-9]+')::int AS g FROM new_users
        ), subs AS (
          INSERT INTO user_subscriptions (user_id, tier_slug, billing_cycle, status, started_at, current_period_start,
                                          current_period_end, billing_anchor_at, cancelled_at, ends_at, scheduled_tier_slug)
          SELECT id, CASE WHEN ${kind} = 'downgrade' THEN 'business' ELSE 'pro' END, 'monthly',
                 CASE WHEN ${kind} = 'cancelled' THEN 'cancelled' ELSE 'active' END,
                 ${firstDue}::timestamptz - interval '1 month', ${firstDue}::timestamptz - interval '1 month',
                 ${firstDue}::timestamptz + g * interval '1 minute',
                 ${firstDue}::timestamptz + g * interval '1 minute' - interval '1 month',
                 CASE WHEN ${kind} = 'cancelled' THEN ${firstDue}::timestamptz - interval '1 week' END,
                 CASE WHEN ${kind} = 'renewal' THEN NULL ELSE ${firstDue}::timestamptz + g * interval '1 minute' END,
                 CASE WHEN ${kind} = 'downgrade' THEN 'pro' END
          FROM numbered
          RETURNING user_id
        )
        SELECT user_id AS id FROM subs`,
  );
  // A statement cannot update rows its own CTE inserted, so the users are linked in a second one.
  await handle.db.execute(sql`UPDATE users u SET subscription_id = s.id, current_tier_slug = s.tier_slug
                              FROM user_subscriptions s WHERE s.user_id = u.id AND u.subscription_id IS NULL`);
  return rows.map((row) => row.id);
}

async function userOf(prefix: string, n: number): Promise<string> {
  const [row] = await queryRows<{ id: string }>(
    handle.db,
    sql`SELECT id FROM users WHERE email = ${`${prefix}${n}@example.com`}`,
  );
  if (!row) throw new Error(`no user ${prefix}${n}`);
  return row.id;
}

async function historyCounts(prefix: string) {
  return queryRows<{ action: string; rows: number; users: number }>(
    handle.db,
    sql`SELECT h.action, count(*)::int AS rows, count(DISTINCT h.user_id)::int AS users
        FROM subscription_history h JOIN users u ON u.id = h.user_id
        WHERE u.email LIKE ${`${prefix}%`} GROUP BY h.action ORDER BY h.action`,
  );
}

async function stillDue(prefix: string): Promise<number> {
  const [row] = await queryRows<{ n: number }>(
    handle.db,
    sql`SELECT count(*)::int AS n FROM user_subscriptions s JOIN users u ON u.id = s.user_id
        WHERE u.email LIKE ${`${prefix}%`} AND s.status IN (${sql.raw(CURRENT_STATUS_LIST)})
          AND (s.ends_at <= ${now.toISOString()}::timestamptz
               OR (s.ends_at IS NULL AND s.current_period_end <= ${now.toISOString()}::timestamptz))`,
  );
  return row?.n ?? -1;
}

/** The numbers (`${prefix}${n}@…`) of the users whose due change has been applied, in order. */
async function appliedNumbers(prefix: string): Promise<number[]> {
  const rows = await queryRows<{ n: number }>(
    handle.db,
    sql`SELECT substring(u.email FROM '[0-9]+')::int AS n FROM subscription_history h JOIN users u ON u.id = h.user_id
        WHERE u.email LIKE ${`${prefix}%`} ORDER BY n`,
  );
  return rows.map((row) => row.n);
}

const numbers = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => from + i);

const clearFaults = () => handle.db.execute(sql`DELETE FROM fault_users`);

describe(`a processDue run that dies mid-batch (${usingPostgres ? "PostgreSQL" : "PGlite"})`, () => {
  it("keeps the committed batches, rolls the failed one back whole, and the next run completes the rest", async () => {
    await seedDue("exp", "cancelled", 50, "2025-02-01T00:00:00Z");
    // Batches of 10 in ends_at order: the 25th user fails the third batch at its history insert,
    // after that batch's expire UPDATE and successor inserts already ran.
    await handle.db.execute(sql`INSERT INTO fault_users VALUES (${await userOf("exp", 25)}, 'raise')`);

    await expect(processDue(handle.db, { now, batchSize: 10, maxBatches: 100 })).rejects.toThrow();
    expect(await historyCounts("exp")).toEqual([{ action: "expired", rows: 20, users: 20 }]);
    expect(await stillDue("exp")).toBe(30);
    expect(await invariantViolations(handle.db)).toEqual([]);

    await clearFaults();
    const next = await processDue(handle.db, { now, batchSize: 10, maxBatches: 100 });
    expect(next).toMatchObject({ expired: 30, more: false });
    expect(await historyCounts("exp")).toEqual([{ action: "expired", rows: 50, users: 50 }]);
    expect(await stillDue("exp")).toBe(0);
    expect(await invariantViolations(handle.db)).toEqual([]);
  });

  it("loses nothing when the renewal statement fails after the expiry batches committed", async () => {
    await seedDue("dgr", "downgrade", 15, "2025-02-02T00:00:00Z");
    await seedDue("ren", "renewal", 15, "2025-02-02T00:00:00Z");
    await handle.db.execute(sql`INSERT INTO fault_users VALUES (${await userOf("ren", 7)}, 'raise')`);

    await expect(processDue(handle.db, { now, batchSize: 100, maxBatches: 10 })).rejects.toThrow();
    expect(await historyCounts("dgr")).toEqual([{ action: "downgraded", rows: 15, users: 15 }]);
    expect(await historyCounts("ren")).toEqual([]);
    expect(await stillDue("ren")).toBe(15);

    await clearFaults();
    expect(await processDue(handle.db, { now, batchSize: 100, maxBatches: 10 })).toMatchObject({
      renewed: 15,
      downgraded: 0,
    });
    expect(await historyCounts("ren")).toEqual([{ action: "renewed", rows: 15, users: 15 }]);
    expect(await stillDue("dgr")).toBe(0);
    expect(await stillDue("ren")).toBe(0);
    expect(await invariantViolations(handle.db)).toEqual([]);
  });

  it.skipIf(!usingPostgres)(
    "survives its connection being killed mid-batch: the pool reconnects and the next run completes (PostgreSQL only: PGlite has no connections to kill)",
    async () => {
      await seedDue("kil", "cancelled", 30, "2025-02-03T00:00:00Z");
      await handle.db.execute(sql`INSERT INTO fault_users VALUES (${await userOf("kil", 15)}, 'kill')`);

      await expect(processDue(handle.db, { now, batchSize: 10, maxBatches: 100 })).rejects.toThrow();
      expect(await historyCounts("kil")).toEqual([{ action: "expired", rows: 10, users: 10 }]);
      expect(await stillDue("kil")).toBe(20);

      await clearFaults();
      expect(await processDue(handle.db, { now, batchSize: 10, maxBatches: 100 })).toMatchObject({ expired: 20 });
      expect(await historyCounts("kil")).toEqual([{ action: "expired", rows: 30, users: 30 }]);
      expect(await invariantViolations(handle.db)).toEqual([]);
    },
  );
});

describe(`a processDue run that stops at its time budget (${usingPostgres ? "PostgreSQL" : "PGlite"})`, () => {
  it("stops between batches, leaving none half done, and the next run continues where it stopped", async () => {
    await seedDue("bud", "cancelled", 45, "2025-02-04T00:00:00Z");
    // Every batch takes one second on the pass's own timer: after two, a third (2 s + 1 s) would
    // not fit 2.5 s, so each pass applies 20 rows. The business clock stays `now` throughout.
    const pass = () => processDue(handle.db, { now, batchSize: 10, wallMs: 2_500, timer: steppingTimer(1_000) });

    expect(await pass()).toMatchObject({ expired: 20, batches: 2, elapsedMs: 2_000, stoppedBy: "time_budget" });
    expect(await appliedNumbers("bud")).toEqual(numbers(1, 20));
    expect(await stillDue("bud")).toBe(25);
    expect(await invariantViolations(handle.db)).toEqual([]);

    expect(await pass()).toMatchObject({ expired: 20, batches: 2, stoppedBy: "time_budget", more: true });
    expect(await appliedNumbers("bud")).toEqual(numbers(1, 40));

    expect(await pass()).toMatchObject({ expired: 5, batches: 1, stoppedBy: "drained", more: false });
    expect(await historyCounts("bud")).toEqual([{ action: "expired", rows: 45, users: 45 }]);
    expect(await stillDue("bud")).toBe(0);
    expect(await invariantViolations(handle.db)).toEqual([]);
  });
});
