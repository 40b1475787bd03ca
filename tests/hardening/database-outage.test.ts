import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createApp } from "../../api/app.ts";
import { type NodePostgresHandle, openNodePostgres } from "../../db/client/node-postgres.ts";
import { invariantViolations } from "../support/invariants.ts";
import { startTcpRelay, type TcpRelay } from "../support/tcp-relay.ts";
import { createTestApp, type TestApp } from "../support/test-app.ts";
import { usingPostgres } from "../support/test-db.ts";

// The API on a pool that reaches PostgreSQL through a relay the test takes down and brings back:
// while the database is gone every request is answered 503 (never hangs, never 500, never crashes
// the process), and when it returns the same app instance serves again without a restart.

describe.skipIf(!usingPostgres)(
  "the API while its database is down (PostgreSQL only: PGlite runs in-process and cannot go away)",
  () => {
    let t: TestApp;
    let relay: TcpRelay;
    let pool: NodePostgresHandle;
    let app: ReturnType<typeof createApp>;
    let token: string;

    beforeAll(async () => {
      t = await createTestApp();
      token = (await t.signup()).token;
      const url = new URL(t.database.url as string);
      relay = await startTcpRelay({ host: url.hostname, port: Number(url.port || 5432) });
      url.host = `127.0.0.1:${relay.port}`;
      // A short connect timeout is what makes "down" answer quickly instead of hanging the request.
      pool = openNodePostgres(url.toString(), { max: 5, connectionTimeoutMillis: 500 });
      app = createApp({ ...t.deps, database: { db: pool.db } });
    });
    afterAll(async () => {
      await pool?.close();
      await relay?.close();
      await t?.close();
    });

    const getSubscription = () =>
      app.request("/api/user/subscription", { headers: { Authorization: `Bearer ${token}` } });
    const upgrade = (tier: string) =>
      app.request("/api/user/subscription/upgrade", {
        method: "POST",
        headers: { Authorization: `Bearer ${token}`, "Content-Type": "application/json" },
        body: JSON.stringify({ tier_slug: tier, billing_cycle: "monthly" }),
      });

    const cancel = () =>
      app.request("/api/user/subscription/cancel", {
        method: "DELETE",
        headers: { Authorization: `Bearer ${token}`, "Content-Type": "application/json" },
        body: JSON.stringify({ reason: "outage test" }),
      });

    async function expectUnavailable(res: Response) {
      expect(res.status).toBe(503);
      expect(res.headers.get("Retry-After")).toMatch(/^\d+$/);
      expect(await res.json()).toMatchObject({ success: false, error: { code: "database_unavailable" } });
    }

    it("serves normally through the relay", async () => {
      expect((await getSubscription()).status).toBe(200);
    });

    it("answers 503 while connections are refused, and serves again once the database is back", async () => {
      await relay.down();
      await expectUnavailable(await getSubscription());
      await expectUnavailable(await upgrade("pro"));
      await relay.up();
      expect((await getSubscription()).status).toBe(200);
      expect((await upgrade("pro")).status).toBe(200);
    });

    it("answers 503 when connecting hangs (the driver's connect timeout), and recovers", async () => {
      await relay.blackhole();
      const results = await Promise.all([getSubscription(), getSubscription(), upgrade("business")]);
      for (const res of results) await expectUnavailable(res);
      await relay.up();
      expect((await getSubscription()).status).toBe(200);
    });

    it("survives the database dying mid-transaction: the change is rolled back whole, answered 503, and the pool recovers", async () => {
      const before = await getSubscription();
      // The server goes as the upgrade sends COMMIT: every write of the change ran, none committed.
      // "commit" with its terminating NUL: the BEGIN of a batch names its isolation level, "read committed".
      const cut = relay.downWhenSent("commit\0");
      const inFlight = Promise.resolve(upgrade("elite"));
      await Promise.race([
        cut,
        inFlight.then(() => Promise.reject(new Error("the upgrade finished without sending COMMIT"))),
      ]);
      await expectUnavailable(await inFlight);
      await relay.up();
      const after = await getSubscription();
      expect(after.status).toBe(200);
      expect((await after.json()).subscription).toEqual((await before.json()).subscription);
      expect(await invariantViolations(t.db)).toEqual([]);
      expect((await upgrade("elite")).status).toBe(200);
    });

    it("survives the database dying as a transaction begins, more often than the pool has connections: none is lost", async () => {
      // Drizzle's transaction on a pool releases its client only once BEGIN succeeded; each cut here
      // then kept a dead client checked out, and after five the pool had none left to serve anyone.
      for (let attempt = 0; attempt < 6; attempt += 1) {
        const cut = relay.downWhenSent("begin isolation level");
        // Cut every time, so nothing changes and the same cancellation is valid on each attempt.
        const inFlight = Promise.resolve(cancel());
        await Promise.race([
          cut,
          inFlight.then(() => Promise.reject(new Error(`attempt ${attempt} finished without sending BEGIN`))),
        ]);
        await expectUnavailable(await inFlight);
        await relay.up();
      }
      const after = await getSubscription();
      expect(after.status).toBe(200);
      expect((await after.json()).subscription).toMatchObject({ status: "active", cancelled_at: null });
      expect((await cancel()).status).toBe(200);
      expect(await invariantViolations(t.db)).toEqual([]);
    });
  },
);
