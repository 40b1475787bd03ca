import { NeonDbError, type NeonQueryFunction, neon, neonConfig } from "@neondatabase/serverless";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { isDatabaseUnavailable } from "../../api/lib/database-unavailable.ts";
import { type NeonHttp, startNeonHttp } from "../../scripts/neon-http.ts";
import { createTestDatabase, type TestDatabase, usingPostgres } from "../support/test-db.ts";
import { startTurnCountingRelay, type TurnCountingRelay } from "../support/turn-counting-relay.ts";

// The Neon driver's own `neon()` client against scripts/neon-http.ts on the real PostgreSQL: the
// endpoint must answer exactly what Neon's would, or the driver (and drizzle above it) misreads it.

const rejection = (promise: Promise<unknown>) =>
  promise.then(
    () => {
      throw new Error("expected the query to fail");
    },
    (error: unknown) => error as NeonDbError,
  );

describe.skipIf(!usingPostgres)("the SQL-over-HTTP endpoint (PostgreSQL only)", () => {
  let database: TestDatabase;
  let endpoint: NeonHttp;
  let url: string;
  let sql: NeonQueryFunction<false, false>;

  beforeAll(async () => {
    database = await createTestDatabase({ migrate: false });
    endpoint = await startNeonHttp({ maxConnectionsPerDatabase: 2 });
    neonConfig.fetchEndpoint = () => `http://127.0.0.1:${endpoint.port}/sql`;
    url = database.url as string;
    sql = neon(url);
    await database.exec(`
      CREATE TABLE items (id int PRIMARY KEY, name text NOT NULL CONSTRAINT items_name_key UNIQUE);
      CREATE FUNCTION refuse() RETURNS void LANGUAGE plpgsql AS $$
        BEGIN RAISE EXCEPTION 'plan changed' USING ERRCODE = 'TK001', DETAIL = 'read 1, found 2', HINT = 'retry';
        END $$;`);
  });
  afterAll(async () => {
    await endpoint?.close();
    await database?.close();
  });

  it("binds parameters and answers every type as the driver parses it from text", async () => {
    const at = new Date("2025-03-01T12:34:56.789Z");
    const [row] = await sql.query(
      `SELECT $1::int + 1 AS n, $2::text AS text, $3::timestamptz AS at, $4::jsonb AS doc, $5::int[] AS ints,
              $6::text[] AS texts, $7::text AS nothing, $8::int8 AS big, $9::numeric AS amount, $10::bool AS yes,
              $11::uuid AS id`,
      [
        41,
        'quote " back\\slash é',
        at,
        { plan: "pro", seats: [1, 2] },
        [1, 2, 3],
        ["a,b", 'c"d', null],
        null,
        "9007199254740993",
        "12.50",
        true,
        "0b6f3c5e-2d0a-4d8e-9a43-1b7a0e5e9f10",
      ],
    );
    expect(row).toEqual({
      n: 42,
      text: 'quote " back\\slash é',
      at,
      doc: { plan: "pro", seats: [1, 2] },
      ints: [1, 2, 3],
      texts: ["a,b", 'c"d', null],
      nothing: null,
      big: "9007199254740993",
      amount: "12.50",
      yes: true,
      id: "0b6f3c5e-2d0a-4d8e-9a43-1b7a0e5e9f10",
    });
  });

  it("answers fields with their type OIDs, the command and the row count", async () => {
    const inserted = await sql.query("INSERT INTO items VALUES (1, 'one'), (2, 'two')", [], { fullResults: true });
    expect(inserted).toMatchObject({ command: "INSERT", rowCount: 2, rows: [] });
    const selected = await sql.query("SELECT id, name, now() AS at FROM items ORDER BY id", [], {
      fullResults: true,
      arrayMode: true,
    });
    expect(selected.command).toBe("SELECT");
    expect(selected.rowCount).toBe(2);
    expect(selected.fields.map(({ name, dataTypeID }) => [name, dataTypeID])).toEqual([
      ["id", 23],
      ["name", 25],
      ["at", 1184],
    ]);
    expect(selected.rows.map((row) => row.slice(0, 2))).toEqual([
      [1, "one"],
      [2, "two"],
    ]);
    await sql.query("DELETE FROM items");
  });

  it("answers PostgreSQL's errors with their SQLSTATE and fields", async () => {
    await sql.query("INSERT INTO items VALUES (10, 'ten')");
    const duplicate = await rejection(sql.query("INSERT INTO items VALUES (11, 'ten')"));
    expect(duplicate).toBeInstanceOf(NeonDbError);
    expect(duplicate).toMatchObject({ code: "23505", constraint: "items_name_key", table: "items" });
    expect(duplicate.detail).toContain("(name)=(ten)");

    const syntax = await rejection(sql.query("SELEC 1"));
    expect(syntax).toMatchObject({ code: "42601", position: "1", severity: "ERROR" });
    expect(syntax.message).toContain('syntax error at or near "SELEC"');

    const raised = await rejection(sql.query("SELECT refuse()"));
    expect(raised).toMatchObject({ code: "TK001", message: "plan changed", detail: "read 1, found 2", hint: "retry" });
    await sql.query("DELETE FROM items");
  });

  it("runs transaction([...]) at the isolation level, read-only and deferrable modes asked for", async () => {
    const show = () => [
      sql`SHOW transaction_isolation`,
      sql`SHOW transaction_read_only`,
      sql`SHOW transaction_deferrable`,
    ];
    const settings = (results: Record<string, unknown>[][]) => results.map((rows) => Object.values(rows[0] ?? {})[0]);

    expect(settings(await sql.transaction(show()))).toEqual(["read committed", "off", "off"]);
    expect(settings(await sql.transaction(show(), { isolationLevel: "RepeatableRead" }))).toEqual([
      "repeatable read",
      "off",
      "off",
    ]);
    expect(
      settings(await sql.transaction(show(), { isolationLevel: "Serializable", readOnly: true, deferrable: true })),
    ).toEqual(["serializable", "on", "on"]);
  });

  it("rolls a failed transaction back whole and answers the failing statement's error", async () => {
    const error = await rejection(
      sql.transaction([
        sql`INSERT INTO items VALUES (20, 'twenty')`,
        sql`INSERT INTO items VALUES (21, 'twenty')`,
        sql`INSERT INTO items VALUES (22, 'twenty-two')`,
      ]),
    );
    expect(error).toMatchObject({ code: "23505", constraint: "items_name_key" });
    expect(await sql`SELECT count(*)::int AS count FROM items`).toEqual([{ count: 0 }]);

    const [inserted, counted] = await sql.transaction([
      sql`INSERT INTO items VALUES (20, 'twenty') RETURNING id`,
      sql`SELECT count(*)::int AS count FROM items`,
    ]);
    expect(inserted).toEqual([{ id: 20 }]);
    expect(counted).toEqual([{ count: 1 }]);
    await sql.query("DELETE FROM items");
  });

  it("keeps warm connections, at most the configured number per database", async () => {
    const pid = async () => ((await sql`SELECT pg_backend_pid() AS pid`)[0] as { pid: number }).pid;
    const first = await pid();
    expect(await pid()).toBe(first);

    const pids = await Promise.all(Array.from({ length: 8 }, pid));
    expect(new Set(pids).size).toBeLessThanOrEqual(2);
  });

  it("never hands out a connection a request left inside a transaction", async () => {
    await sql`BEGIN`;
    await sql`BEGIN`;
    await sql`INSERT INTO items VALUES (30, 'thirty')`;
    // Another client sees the row: the INSERT did not land in a transaction left open on a warm connection.
    const check = new pg.Client({ connectionString: url });
    await check.connect();
    try {
      expect((await check.query("SELECT count(*)::int AS count FROM items")).rows).toEqual([{ count: 1 }]);
    } finally {
      await check.end();
    }
    await sql.query("DELETE FROM items");
  });

  it("refuses hosts it does not relay to, and says when PostgreSQL cannot be reached", async () => {
    const elsewhere = await rejection(neon("postgres://postgres@db.example.com/test")`SELECT 1`);
    expect(elsewhere.message).toContain("host not allowed: db.example.com");

    const missing = await rejection(neon(url.replace(/\/[^/]+$/, "/no_such_database"))`SELECT 1`);
    expect(missing).toMatchObject({ code: "3D000" });

    const down = await rejection(neon("postgres://postgres@127.0.0.1:1/test")`SELECT 1`);
    expect(down.message).toMatch(/^Server error \(HTTP status 500\)/);
    expect(isDatabaseUnavailable(down)).toBe(true);
  });

  it("answers 400 to a request the driver would never send, and 404 off POST /sql", async () => {
    const post = (headers: Record<string, string>, body: string) =>
      fetch(`http://127.0.0.1:${endpoint.port}/sql`, { method: "POST", headers, body });
    const noRawText = await post({ "Neon-Connection-String": url }, JSON.stringify({ query: "SELECT 1" }));
    expect(noRawText.status).toBe(400);
    expect(await noRawText.json()).toEqual({ message: expect.stringContaining("Neon-Raw-Text-Output: true") });

    const headers = { "Neon-Connection-String": url, "Neon-Raw-Text-Output": "true" };
    expect((await post(headers, "{not json")).status).toBe(400);
    const badLevel = await post({ ...headers, "Neon-Batch-Isolation-Level": "toString" }, '{"queries":[]}');
    expect(await badLevel.json()).toEqual({ message: "invalid isolation level" });
    expect((await fetch(`http://127.0.0.1:${endpoint.port}/`)).status).toBe(404);
  });

  describe("a batch at a distance", () => {
    let relay: TurnCountingRelay;
    let distant: NeonQueryFunction<false, false>;

    beforeAll(async () => {
      const target = new URL(url);
      relay = await startTurnCountingRelay({ host: target.hostname, port: Number(target.port || 5432) });
      target.host = `127.0.0.1:${relay.port}`;
      distant = neon(target.toString());
      await distant`SELECT 1`; // opens the warm connection: startup and authentication are not the batch's
    });
    afterAll(() => relay?.close());

    it("sends BEGIN, the statements and COMMIT in one round trip to PostgreSQL", async () => {
      relay.turns = 0;
      const results = await distant.transaction(
        [
          distant`INSERT INTO items VALUES (40, 'forty')`,
          distant`UPDATE items SET name = 'FORTY' WHERE id = 40`,
          distant`SELECT name FROM items WHERE id = 40`,
          distant`DELETE FROM items WHERE id = 40`,
        ],
        { isolationLevel: "ReadCommitted" },
      );
      expect(results[2]).toEqual([{ name: "FORTY" }]);
      expect(relay.turns).toBe(1);
    });

    it("rolls back a failed batch without another round trip", async () => {
      relay.turns = 0;
      const error = await rejection(
        distant.transaction([distant`INSERT INTO items VALUES (41, 'x')`, distant`SELECT 1 / 0`]),
      );
      expect(error).toMatchObject({ code: "22012" });
      expect(relay.turns).toBe(1);
      expect(await distant`SELECT count(*)::int AS count FROM items`).toEqual([{ count: 0 }]);
    });
  });
});
