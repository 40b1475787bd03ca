import { createExecutionContext, waitOnExecutionContext } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { sql } from "drizzle-orm";
import { describe, expect, inject, it } from "vitest";
import { cancel, upgrade } from "../../api/services/subscriptions/index.ts";
import worker from "../../api/worker.ts";
import { runBatch } from "../../db/client/batch.ts";
import { openNeonHttp } from "../../db/client/neon-http.ts";
import { hasSqlState } from "../../db/client/sql-state.ts";
import { queryRows } from "../../db/client/types.ts";
import { createMember } from "../support/fixtures.ts";

// The WebSocket relay points at a closed port here, so whatever reaches the database went through
// Neon's HTTP query path (the SQL-over-HTTP endpoint that global-setup.ts started). This file has its
// own module instance of the Worker, so its app is built with these bindings.
const httpOnly = { ...env, NEON_WS_PROXY: "127.0.0.1:9" };

describe.skipIf(!inject("workerDatabaseUrl"))("Neon's HTTP query path inside workerd", () => {
  it("serves the Worker's reads with no WebSocket relay at all", async () => {
    const ctx = createExecutionContext();
    const response = await worker.fetch(new Request("https://tierkit.test/api/tiers"), httpOnly, ctx);
    await waitOnExecutionContext(ctx);

    expect(response.status).toBe(200);
    const body = (await response.json()) as { tiers: { slug: string }[] };
    expect(body.tiers.map((tier) => tier.slug)).toEqual(expect.arrayContaining(["member", "pro"]));
  });

  it("runs statements and batches over HTTP from workerd, a failed batch rolled back whole", async () => {
    const handle = openNeonHttp(httpOnly.DATABASE_URL as string, {
      fetchEndpoint: httpOnly.NEON_HTTP_ENDPOINT,
      wsProxy: httpOnly.NEON_WS_PROXY,
    });
    try {
      await handle.db.execute(sql`CREATE TABLE IF NOT EXISTS workerd_batch (id int PRIMARY KEY)`);
      const [inserted, isolation] = await runBatch(handle.db, [
        sql`INSERT INTO workerd_batch VALUES (1) RETURNING id`,
        sql`SELECT current_setting('transaction_isolation') AS level`,
      ]);
      expect(inserted).toEqual([{ id: 1 }]);
      expect(isolation).toEqual([{ level: "read committed" }]);

      const failed = await runBatch(handle.db, [
        sql`INSERT INTO workerd_batch VALUES (2)`,
        sql`INSERT INTO workerd_batch VALUES (1)`,
      ]).catch((error: unknown) => error);
      expect(hasSqlState(failed, "23505")).toBe(true);
      expect(await queryRows(handle.db, sql`SELECT id FROM workerd_batch ORDER BY id`)).toEqual([{ id: 1 }]);
    } finally {
      await handle.close();
    }
  });

  it("makes lifecycle changes, an Idempotency-Key's record included, with no interactive transaction", async () => {
    const now = new Date("2026-03-01T00:00:00Z");
    const setup = openNeonHttp(env.DATABASE_URL as string, {
      fetchEndpoint: env.NEON_HTTP_ENDPOINT,
      wsProxy: env.NEON_WS_PROXY,
    });
    // Without a relay, anything that needed the WebSocket Pool (db.transaction) would fail.
    const http = openNeonHttp(httpOnly.DATABASE_URL as string, {
      fetchEndpoint: httpOnly.NEON_HTTP_ENDPOINT,
      wsProxy: httpOnly.NEON_WS_PROXY,
    });
    try {
      const { user } = await createMember(setup.db, now);
      const key = {
        ownerId: user.id,
        key: "workerd-upgrade",
        requestHash: "h",
        answer: () => ({ statusCode: 200, body: { upgraded: true } }),
      };
      const input = { userId: user.id, tierSlug: "pro", billingCycle: "monthly" as const, now };
      const first = await upgrade.outcome(http.db, input, { key, token: true });
      expect(first).toMatchObject({ kind: "changed", claims: { tierSlug: "pro", ver: 2 } });
      expect(await upgrade.outcome(http.db, input, { key })).toEqual({
        kind: "replay",
        statusCode: 200,
        body: { upgraded: true },
      });
      await cancel(http.db, { userId: user.id, now });
      const history = await queryRows<{ action: string }>(
        setup.db,
        sql`SELECT action FROM subscription_history WHERE user_id = ${user.id}::uuid ORDER BY created_at, action`,
      );
      expect(history.map((row) => row.action).sort()).toEqual(["cancelled", "created", "upgraded"]);
    } finally {
      await Promise.all([setup.close(), http.close()]);
    }
  });
});
