import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { usageCounters } from "../../db/schema.ts";
import { createTestApp, type TestApp } from "../support/test-app.ts";
import { usingPostgres } from "../support/test-db.ts";

// The race only exists with real connections: on PostgreSQL the 50 requests run on up to 25 pooled
// connections at once. (On PGlite the same test runs, serialized by its single connection.)
let t: TestApp;
let key: string;

beforeAll(async () => {
  t = await createTestApp();
  const admin = await t.signup(undefined, { admin: true });
  const res = await t.request("POST", "/api/admin/service-keys", {
    token: admin.token,
    json: { name: "race", scopes: ["usage:write"] },
  });
  key = ((await res.json()) as { key: string }).key;
});
afterAll(() => t.close());

const consume = (feature: string, userId: string, amount = 1) =>
  t.request("POST", `/api/usage/${feature}/consume`, { token: key, json: { user_id: userId, amount } });

describe(`concurrent consumes (${usingPostgres ? "PostgreSQL" : "PGlite"})`, () => {
  it("50 concurrent consumes of 1 against a remaining 10 succeed exactly 10 times", async () => {
    const member = await t.signup();
    expect((await consume("messages", member.user.id, 40)).status).toBe(200);

    const statuses = await Promise.all(
      Array.from({ length: 50 }, () => consume("messages", member.user.id).then((r) => r.status)),
    );

    expect(statuses.filter((s) => s === 200)).toHaveLength(10);
    expect(statuses.filter((s) => s === 429)).toHaveLength(40);
    const [row] = await t.db.select().from(usageCounters).where(eq(usageCounters.userId, member.user.id));
    expect(row?.used).toBe(50);
  });

  it("the first consumes of a fresh window race on the insert and still count exactly to the limit", async () => {
    const member = await t.signup();
    const statuses = await Promise.all(
      Array.from({ length: 30 }, () => consume("documents", member.user.id).then((r) => r.status)),
    );
    expect(statuses.filter((s) => s === 200)).toHaveLength(10);
    const [row] = await t.db.select().from(usageCounters).where(eq(usageCounters.userId, member.user.id));
    expect(row?.used).toBe(10);
  });
});
