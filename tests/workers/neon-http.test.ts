import { createExecutionContext, waitOnExecutionContext } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { sql } from "drizzle-orm";
import { describe, expect, inject, it } from "vitest";
import worker from "../../api/worker.ts";
import { runBatch } from "../../db/client/batch.ts";
import { openNeonHttp } from "../../db/client/neon-http.ts";
import { hasSqlState } from "../../db/client/sql-state.ts";
import { queryRows } from "../../db/client/types.ts";

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
});
