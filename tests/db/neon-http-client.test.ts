import { eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import ws from "ws";
import { upgrade } from "../../api/services/subscriptions/index.ts";
import { runBatch } from "../../db/client/batch.ts";
import { openNeonHttp } from "../../db/client/neon-http.ts";
import { hasSqlState, UNIQUE_VIOLATION } from "../../db/client/sql-state.ts";
import { type DatabaseHandle, queryRows } from "../../db/client/types.ts";
import { userSubscriptions, users } from "../../db/schema.ts";
import { type NeonHttp, startNeonHttp } from "../../scripts/neon-http.ts";
import { startWsProxy, type WsProxy } from "../../scripts/ws-proxy.ts";
import { at, createMember } from "../support/fixtures.ts";
import { createTestDatabase, type TestDatabase, usingPostgres } from "../support/test-db.ts";

// The Worker's Database (db/client/neon-http.ts) from Node, against the local endpoint and relay:
// reads and batches over HTTP, interactive transactions over the WebSocket Pool, and the same JS
// values, SQLSTATEs and `{ rows }` as the other drivers give the services.

describe.skipIf(!usingPostgres)("openNeonHttp (PostgreSQL only)", () => {
  let database: TestDatabase;
  let endpoint: NeonHttp;
  let relay: WsProxy;
  let handle: DatabaseHandle;
  const now = at("2025-03-01T00:00:00.000Z");

  beforeAll(async () => {
    database = await createTestDatabase();
    [endpoint, relay] = await Promise.all([startNeonHttp(), startWsProxy()]);
    handle = openNeonHttp(database.url as string, {
      fetchEndpoint: `127.0.0.1:${endpoint.port}`,
      wsProxy: `127.0.0.1:${relay.port}`,
      webSocketConstructor: ws,
    });
  });
  afterAll(async () => {
    await handle?.close();
    await Promise.all([endpoint?.close(), relay?.close()]);
    await database?.close();
  });

  it("runs db.transaction over the WebSocket Pool and reads over HTTP, with columns as JS values", async () => {
    const before = endpoint.requests;
    const { user } = await createMember(handle.db, now);
    expect(endpoint.requests).toBe(before);

    const [read] = await handle.db.select().from(users).where(eq(users.id, user.id));
    expect(endpoint.requests).toBe(before + 1);
    expect(read?.createdAt).toEqual(now);
    expect(read?.email).toBe(user.email);

    await upgrade(handle.db, { userId: user.id, tierSlug: "pro", billingCycle: "monthly", now });
    const [current] = await handle.db
      .select({ tier: userSubscriptions.tierSlug, start: userSubscriptions.currentPeriodStart })
      .from(userSubscriptions)
      .where(eq(userSubscriptions.id, sql`(SELECT subscription_id FROM users WHERE id = ${user.id})`));
    expect(current).toEqual({ tier: "pro", start: now });
  });

  it("answers raw SQL with { rows } of the same JS types as node-postgres", async () => {
    const query = sql`SELECT ${now}::timestamptz AS at, 9007199254740993::int8 AS big, 1.50::numeric AS amount,
                             '{"a":[1]}'::jsonb AS doc, ARRAY['x', NULL] AS list, NULL::int AS nothing, true AS yes`;
    const [overHttp] = await queryRows<Record<string, unknown>>(handle.db, query);
    const [overPg] = await queryRows<Record<string, unknown>>(database.db, query);
    expect(overHttp).toEqual(overPg);
    expect(overHttp).toMatchObject({ big: "9007199254740993", doc: { a: [1] }, list: ["x", null], yes: true });
  });

  it("sends runBatch as one HTTP transaction that answers rows per statement", async () => {
    const { user } = await createMember(handle.db, now);
    const before = endpoint.requests;
    const [updated, selected] = await runBatch(handle.db, [
      sql`UPDATE users SET display_name = 'Batched' WHERE id = ${user.id} RETURNING display_name`,
      sql`SELECT display_name, created_at, current_setting('transaction_isolation') AS isolation
          FROM users WHERE id = ${user.id}`,
    ]);
    expect(endpoint.requests).toBe(before + 1);
    expect(updated).toEqual([{ display_name: "Batched" }]);
    expect(selected).toEqual([
      { display_name: "Batched", created_at: expect.any(String), isolation: "read committed" },
    ]);
  });

  it("rolls a failed batch back and keeps the SQLSTATE where hasSqlState finds it", async () => {
    const { user } = await createMember(handle.db, now);
    const other = await createMember(handle.db, now);
    const error = await runBatch(handle.db, [
      sql`UPDATE users SET display_name = 'Not kept' WHERE id = ${user.id}`,
      sql`UPDATE users SET email = ${other.user.email} WHERE id = ${user.id}`,
    ]).catch((reason: unknown) => reason);
    expect(hasSqlState(error, UNIQUE_VIOLATION)).toBe(true);
    const [row] = await handle.db.select({ name: users.displayName }).from(users).where(eq(users.id, user.id));
    expect(row?.name).toBe(user.displayName);

    const viaDrizzle = await handle.db
      .insert(users)
      .values({ email: user.email, displayName: "Twin", passwordHash: "x" })
      .catch((reason: unknown) => reason);
    expect(hasSqlState(viaDrizzle, UNIQUE_VIOLATION)).toBe(true);
  });

  it("runs multi-statement text through the Pool", async () => {
    await handle.exec("CREATE TABLE scratch (n int); INSERT INTO scratch VALUES (1), (2);");
    expect(await queryRows(handle.db, sql`SELECT sum(n)::int AS total FROM scratch`)).toEqual([{ total: 3 }]);
  });
});
