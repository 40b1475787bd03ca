import { eq, sql } from "drizzle-orm";
import type { Logger } from "drizzle-orm/logger";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { serviceIdempotencyKeys, serviceKeys, usageCounters } from "../../db/schema.ts";
import { createTestApp, type TestApp } from "../support/test-app.ts";
import { usingPostgres } from "../support/test-db.ts";

// Idempotency-Key on the usage endpoints: the stored answer is read, and the new one stored, by the
// statement that counts (api/services/usage/usage-call.ts, docs/decisions/018).
let t: TestApp;
let serviceKey: string;
let serviceKeyId: string;

beforeAll(async () => {
  t = await createTestApp({ start: "2025-03-10T15:30:00.000Z" });
  const admin = await t.signup(undefined, { admin: true });
  const res = await t.request("POST", "/api/admin/service-keys", {
    token: admin.token,
    json: { name: "keyed", scopes: ["usage:write"] },
  });
  serviceKey = ((await res.json()) as { key: string }).key;
  const [row] = await t.db.select({ id: serviceKeys.id }).from(serviceKeys).where(eq(serviceKeys.name, "keyed"));
  serviceKeyId = row?.id ?? "";
});
afterAll(() => t.close());

const consume = (userId: string, amount: number, key?: string, feature = "messages") =>
  t.request("POST", `/api/usage/${feature}/consume`, {
    token: serviceKey,
    json: { user_id: userId, amount },
    headers: key ? { "Idempotency-Key": key } : {},
  });

const used = async (userId: string) => {
  const rows = await t.db
    .select({ used: usageCounters.used })
    .from(usageCounters)
    .where(eq(usageCounters.userId, userId));
  return rows.reduce((sum, row) => sum + row.used, 0);
};

/** The statements the app sends while `run` runs, from drizzle's logger on the app's database. */
async function statementsOf(run: () => Promise<unknown>): Promise<string[]> {
  const session = (t.db as unknown as { session: { logger: Logger } }).session;
  const original = session.logger;
  const sent: string[] = [];
  session.logger = { logQuery: (query) => sent.push(query) };
  try {
    await run();
  } finally {
    session.logger = original;
  }
  return sent;
}

describe("statements per usage call (each one a round trip on the Worker)", () => {
  it("counts in one statement with or without a key, replays in one, and keeps a refusal in a second", async () => {
    const member = await t.signup();
    await consume(member.user.id, 1); // the catalog is cached from here on, as in a warm isolate
    expect(await statementsOf(() => consume(member.user.id, 1))).toHaveLength(1);
    expect(await statementsOf(() => consume(member.user.id, 1, "one"))).toHaveLength(1);
    expect(await statementsOf(() => consume(member.user.id, 1, "one"))).toHaveLength(1);
    expect(await statementsOf(() => consume(member.user.id, 2, "one"))).toHaveLength(1);
    expect(await statementsOf(() => consume(member.user.id, 1000, "too-many"))).toHaveLength(2);
    expect(await statementsOf(() => consume(member.user.id, 1000, "too-many"))).toHaveLength(1);
    expect(await used(member.user.id)).toBe(3);
  });
});

describe("Idempotency-Key on usage", () => {
  it("stores a refusal and replays it, even once the count would fit", async () => {
    const member = await t.signup();
    const refused = await consume(member.user.id, 51, "big");
    expect(refused.status).toBe(429);
    const first = await refused.json();
    t.clock.advance({ hours: 12 }); // a new UTC day: 51 still exceeds, but the replay must not even count
    const replay = await consume(member.user.id, 51, "big");
    expect(replay.status).toBe(429);
    expect(replay.headers.get("Idempotent-Replayed")).toBe("true");
    expect(await replay.json()).toEqual(first);
    expect(await used(member.user.id)).toBe(0);
  });

  it("answers a replay with the stored body of the first answer, and forgets the key after 24 hours", async () => {
    const member = await t.signup();
    const first = await consume(member.user.id, 2, "daily-key");
    expect(first.status).toBe(200);
    const body = await first.json();
    expect(body).toEqual({
      success: true,
      feature: "messages",
      user_id: member.user.id,
      used: 2,
      limit: 50,
      remaining: 48,
      resets_at: expect.any(String),
    });
    const [stored] = await t.db
      .select()
      .from(serviceIdempotencyKeys)
      .where(eq(serviceIdempotencyKeys.key, "daily-key"));
    expect(stored).toEqual(expect.objectContaining({ serviceKeyId, statusCode: 200, responseBody: body }));

    t.clock.advance({ hours: 23, minutes: 59 });
    const replay = await consume(member.user.id, 2, "daily-key");
    expect(await replay.json()).toEqual(body);
    expect(await used(member.user.id)).toBe(2);

    t.clock.advance({ minutes: 1 });
    const again = await consume(member.user.id, 2, "daily-key");
    expect(again.headers.get("Idempotent-Replayed")).toBeNull();
    expect(await used(member.user.id)).toBe(4);
  });

  it("writes the key in the counting statement: when storing it fails, nothing is counted", async () => {
    const member = await t.signup();
    await t.db.execute(sql`CREATE FUNCTION refuse_service_key() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN RAISE EXCEPTION 'disk full'; END $$`);
    await t.db.execute(sql`CREATE TRIGGER refuse_service_key BEFORE INSERT ON service_idempotency_keys
      FOR EACH ROW EXECUTE FUNCTION refuse_service_key()`);
    try {
      expect((await consume(member.user.id, 3, "atomic")).status).toBe(500);
      expect(await used(member.user.id)).toBe(0);
    } finally {
      await t.db.execute(sql`DROP TRIGGER refuse_service_key ON service_idempotency_keys`);
      await t.db.execute(sql`DROP FUNCTION refuse_service_key()`);
    }
    expect((await consume(member.user.id, 3, "atomic")).status).toBe(200);
    expect((await consume(member.user.id, 3, "atomic")).headers.get("Idempotent-Replayed")).toBe("true");
    expect(await used(member.user.id)).toBe(3);
  });
});

// Races need real connections: PGlite runs one statement at a time.
describe.runIf(usingPostgres)("concurrent duplicates (PostgreSQL)", () => {
  it("count once: every duplicate answers the first's body", async () => {
    const member = await t.signup();
    await consume(member.user.id, 1);
    const holder = new pg.Client({ connectionString: t.database.url });
    await holder.connect();
    try {
      // Hold the counter row so that all twelve have started (and read no stored answer) before any counts.
      await holder.query("BEGIN");
      await holder.query("SELECT 1 FROM usage_counters WHERE user_id = $1 FOR UPDATE", [member.user.id]);
      const pending = Promise.all(Array.from({ length: 12 }, () => consume(member.user.id, 5, "race")));
      await waitForLock(holder, 12);
      await holder.query("COMMIT");
      const responses = await pending;
      const replayed = responses.filter((res) => res.headers.get("Idempotent-Replayed") === "true");
      expect(responses.map((res) => res.status)).toEqual(Array(12).fill(200));
      expect(replayed).toHaveLength(11);
      const bodies = await Promise.all(responses.map((res) => res.json()));
      expect(new Set(bodies.map((body) => JSON.stringify(body))).size).toBe(1);
      expect(await used(member.user.id)).toBe(6);
    } finally {
      await holder.end();
    }
  });

  it("undo the count when a duplicate stored the key while it counted, and replay that answer", async () => {
    const member = await t.signup();
    // Numbers no count of this request gives: the answer is the duplicate's, not a fresh one.
    const duplicate = { ...(await (await consume(member.user.id, 44, "setup")).json()), used: 4, remaining: 46 };
    const other = new pg.Client({ connectionString: t.database.url });
    await other.connect();
    try {
      // A duplicate that has counted and stored its key but not committed yet.
      await other.query("BEGIN");
      await other.query(
        `INSERT INTO service_idempotency_keys (service_key_id, key, request_hash, status_code, response_body, created_at)
         SELECT $1, 'held', request_hash, 200, $4, $2
         FROM (SELECT encode(sha256(convert_to($3, 'UTF8')), 'hex') AS request_hash) h`,
        [
          serviceKeyId,
          t.clock.now().toISOString(),
          `POST\n/api/usage/messages/consume\n{"amount":4,"user_id":"${member.user.id}"}`,
          duplicate,
        ],
      );
      const pending = consume(member.user.id, 4, "held");
      // The request counts, then waits on the duplicate's key row; let it get there.
      await waitForLock(other);
      await other.query("COMMIT");
      const res = await pending;
      expect(res.headers.get("Idempotent-Replayed")).toBe("true");
      expect(await res.json()).toEqual(duplicate);
      expect(await used(member.user.id)).toBe(44);
    } finally {
      await other.end();
    }
  });
});

/** Until `count` backends of this database wait on a lock (the one `holder` holds, or in the queue behind it). */
async function waitForLock(holder: pg.Client, count = 1) {
  for (;;) {
    // Inside the holder's transaction the activity view would stay as first read.
    await holder.query("SELECT pg_stat_clear_snapshot()");
    const { rows } = await holder.query(
      "SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'",
    );
    if (rows[0].n >= count) return;
  }
}
