import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { queryRows } from "../../db/client/types.ts";
import { createTestApp, type TestApp } from "../support/test-app.ts";
import { type BadRequest, badInputCorpus } from "./bad-input-corpus.ts";

// rate_limits is left out on purpose: every sign-in attempt counts against the limit, malformed
// ones included, so that garbage cannot be sent for free.
const UNCHANGED_TABLES = ["users", "user_tiers", "user_subscriptions", "subscription_history", "idempotency_keys"];

/** One md5 over every row of every table that a request may change, in a stable order. */
async function checksums(t: TestApp): Promise<Record<string, string>> {
  const sums: Record<string, string> = {};
  for (const table of UNCHANGED_TABLES) {
    const [row] = await queryRows<{ sum: string; n: number }>(
      t.db,
      sql`SELECT md5(coalesce(string_agg(to_jsonb(t)::text, E'\n' ORDER BY to_jsonb(t)::text), '')) AS sum, count(*)::int AS n
          FROM ${sql.identifier(table)} t`,
    );
    sums[table] = `${row?.n} rows, md5 ${row?.sum}`;
  }
  return sums;
}

let t: TestApp;
let corpus: BadRequest[];
const tokens: Record<"member" | "admin", string> = { member: "", admin: "" };
const REPLAY_KEY = "upgrade-2025-01-15";

beforeAll(async () => {
  t = await createTestApp();
  tokens.admin = (await t.signup(undefined, { admin: true })).token;
  const member = await t.signup();
  // A paid member with a stored idempotent upgrade: every refused change below could have run.
  const upgraded = await t.request("POST", "/api/user/subscription/upgrade", {
    token: member.token,
    json: { tier_slug: "business", billing_cycle: "monthly" },
    headers: { "Idempotency-Key": REPLAY_KEY },
  });
  expect(upgraded.status).toBe(200);
  tokens.member = ((await upgraded.json()) as { token: string }).token;
  corpus = badInputCorpus(member.user.id, REPLAY_KEY);
});
afterAll(() => t.close());

async function send(request: BadRequest, n: number): Promise<Response> {
  const headers: Record<string, string> = { "cf-connecting-ip": `198.51.100.${n % 250}`, ...request.headers };
  if (request.body !== undefined) headers["Content-Type"] = request.contentType ?? "application/json";
  if (request.as === "member" || request.as === "admin") headers.Authorization = `Bearer ${tokens[request.as]}`;
  else if (request.as !== "none") headers.Authorization = request.as.authorization;
  return t.request(request.method, request.path, { body: request.body, headers });
}

describe("the bad-input corpus", () => {
  it("has at least 100 malformed requests", () => {
    expect(corpus.length).toBeGreaterThanOrEqual(100);
    expect(new Set(corpus.map((c) => c.name)).size).toBe(corpus.length);
  });

  it("answers every one with a 4xx JSON error and leaves the database unchanged", async () => {
    const before = await checksums(t);
    const wrong: string[] = [];
    for (const [n, request] of corpus.entries()) {
      const res = await send(request, n);
      const text = await res.text();
      let body: { success?: unknown; error?: { code?: unknown; message?: unknown } } | undefined;
      try {
        body = JSON.parse(text);
      } catch {
        body = undefined;
      }
      const isError =
        body?.success === false && typeof body.error?.code === "string" && typeof body.error.message === "string";
      const isJson = /^application\/json/.test(res.headers.get("content-type") ?? "");
      if (res.status < 400 || res.status > 499 || !isJson || !isError) {
        wrong.push(`${request.name}: ${res.status} ${text.slice(0, 160)}`);
      }
    }
    expect(wrong).toEqual([]);
    expect(await checksums(t)).toEqual(before);
  });
});
