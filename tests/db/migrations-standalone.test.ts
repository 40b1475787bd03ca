import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { subscriptionPage } from "../../api/services/subscriptions/queries.ts";
import { queryRows } from "../../db/client/types.ts";
import { createMember } from "../support/fixtures.ts";
import { countIn, rollBackThrough as rollBackFrom } from "../support/rollbacks.ts";
import { createTestDatabase, type TestDatabase } from "../support/test-db.ts";

// What needs only a migrated database: each of these starts from the newest schema, not from a chain.
let handle: TestDatabase;
beforeAll(async () => {
  handle = await createTestDatabase();
});
afterAll(() => handle.close());

const count = (query: ReturnType<typeof sql>) => countIn(handle, query);
const rollBackThrough = (oldest: number) => rollBackFrom(handle, oldest);

describe("migrations", () => {
  it("keeps the history append-only", async () => {
    await createMember(handle.db, new Date("2026-01-01T00:00:00Z"));
    expect(await count(sql`SELECT count(*) AS n FROM subscription_history`)).toBe(1);
    await expect(handle.db.execute(sql`UPDATE subscription_history SET reason = 'rewritten'`)).rejects.toThrow();
    await expect(handle.db.execute(sql`DELETE FROM subscription_history`)).rejects.toThrow();
  });

  it("0010 refuses a batch for a caller who is gone (TK401) or no admin (TK403); its rollback drops it and 0010 applies again", async () => {
    const guard = (isAdmin: boolean | null) => handle.db.execute(sql`SELECT assert_admin(${isAdmin}::boolean) AS ok`);
    const state = async (isAdmin: boolean | null) => {
      try {
        await guard(isAdmin);
        return "allowed";
      } catch (error) {
        for (let e: unknown = error; e instanceof Object; e = (e as { cause?: unknown }).cause) {
          const code = (e as { code?: unknown }).code;
          if (typeof code === "string") return code;
        }
        throw error;
      }
    };
    expect([await state(true), await state(false), await state(null)]).toEqual(["allowed", "TK403", "TK401"]);
    const guards = () => count(sql`SELECT count(*) AS n FROM pg_proc WHERE proname = 'assert_admin'`);

    await rollBackThrough(10);
    expect(await guards()).toBe(0);
    await handle.migrate();
    expect(await guards()).toBe(1);
    expect(await state(false)).toBe("TK403");
  });

  it("0011 lets the admin list's default page (current rows, newest first) read an index in its order; its rollback drops it and 0011 applies again", async () => {
    // With sequential scans ruled out the planner names the index it would use for the page's ids.
    const plan = () =>
      handle.db.transaction(async (tx) => {
        await tx.execute(sql`SET LOCAL enable_seqscan = off`);
        const { statement } = subscriptionPage({ page: 3, limit: 20, status: "current" }, 3);
        const rows = await queryRows<{ "QUERY PLAN": string }>(tx, sql`EXPLAIN ${statement}`);
        return rows.map((row) => row["QUERY PLAN"]).join("\n");
      });
    expect(await plan()).toContain("user_subscriptions_current_created_idx");

    await rollBackThrough(11);
    expect(
      await count(sql`SELECT count(*) AS n FROM pg_indexes WHERE indexname = 'user_subscriptions_current_created_idx'`),
    ).toBe(0);
    expect(await plan()).not.toContain("user_subscriptions_current_created_idx");
    await handle.migrate();
    expect(await plan()).toContain("user_subscriptions_current_created_idx");
  });
});
