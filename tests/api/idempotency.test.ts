import { eq, sql } from "drizzle-orm";
import { Hono } from "hono";
import { decodeJwt } from "jose";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { AppEnv } from "../../api/env.ts";
import { ApiError } from "../../api/http/errors/api-error.ts";
import { errorHandler } from "../../api/http/errors/error-handler.ts";
import { database } from "../../api/http/middleware/database.ts";
import { changeKey } from "../../api/http/middleware/idempotency.ts";
import { idempotencyKeys, users } from "../../db/schema.ts";
import { snapshot } from "../support/fixtures.ts";
import { historyOf } from "../support/subscription-state.ts";
import { createTestApp, type TestApp } from "../support/test-app.ts";

let t: TestApp;

beforeAll(async () => {
  t = await createTestApp();
});
afterAll(() => t.close());

const UPGRADE = "/api/user/subscription/upgrade";
const upgradeWith = (token: string, key: string, json: unknown) =>
  t.request("POST", UPGRADE, { token, json, headers: { "Idempotency-Key": key } });
const upgrades = async (userId: string) => (await historyOf(t.db, userId)).filter((row) => row.action === "upgraded");
const storedKeys = (userId: string) => t.db.select().from(idempotencyKeys).where(eq(idempotencyKeys.userId, userId));

describe("Idempotency-Key on subscription changes", () => {
  it("replays the stored response for a retry and changes nothing the second time", async () => {
    const { token, user } = await t.signup();
    const pro = { tier_slug: "pro", billing_cycle: "monthly" };
    const first = await upgradeWith(token, "retry-1", pro);
    expect(first.status).toBe(200);
    expect(first.headers.get("Idempotent-Replayed")).toBeNull();
    const firstBody = await first.json();

    t.clock.advance({ minutes: 10 });
    const before = await snapshot(t.db);
    // The same request, with keys in another order and other whitespace.
    const retry = await t.request("POST", UPGRADE, {
      token,
      body: '{ "billing_cycle": "monthly",\n  "tier_slug": "pro" }',
      headers: { "Idempotency-Key": "retry-1", "Content-Type": "application/json" },
    });
    expect(retry.status).toBe(200);
    expect(retry.headers.get("Idempotent-Replayed")).toBe("true");
    const retryBody = await retry.json();
    // The replay is the first answer, but with a token signed now: tokens are not kept at rest.
    expect({ ...retryBody, token: null }).toEqual({ ...firstBody, token: null });
    expect(retryBody.token).not.toBe(firstBody.token);
    expect(decodeJwt(retryBody.token)).toMatchObject({ user_id: user.id, tier_slug: "pro" });
    expect(await snapshot(t.db)).toBe(before);
    expect(await upgrades(user.id)).toHaveLength(1);
    expect(await storedKeys(user.id)).toEqual([
      expect.objectContaining({
        key: "retry-1",
        statusCode: 200,
        responseBody: { ...firstBody, token: null },
        requestHash: expect.stringMatching(/^[0-9a-f]{64}$/),
      }),
    ]);
  });

  it("refuses the same key with a different body with 422 and changes nothing", async () => {
    const { token, user } = await t.signup();
    expect((await upgradeWith(token, "k-422", { tier_slug: "pro", billing_cycle: "monthly" })).status).toBe(200);
    const before = await snapshot(t.db);
    const res = await upgradeWith(token, "k-422", { tier_slug: "business", billing_cycle: "monthly" });
    expect(res.status).toBe(422);
    expect((await res.json()).error.code).toBe("idempotency_key_reused");
    expect(await snapshot(t.db)).toBe(before);
    expect(await upgrades(user.id)).toHaveLength(1);
  });

  it("scopes keys to the user", async () => {
    const a = await t.signup();
    const b = await t.signup();
    const json = { tier_slug: "pro", billing_cycle: "monthly" };
    expect((await upgradeWith(a.token, "shared", json)).status).toBe(200);
    const res = await upgradeWith(b.token, "shared", json);
    expect(res.status).toBe(200);
    expect(res.headers.get("Idempotent-Replayed")).toBeNull();
    expect((await res.json()).upgrade.subscription_id).not.toBeUndefined();
    expect(await upgrades(b.user.id)).toHaveLength(1);
  });

  it("stores and replays a domain refusal, but nothing for a request that failed validation", async () => {
    const { token, user } = await t.signup();
    const refused = await upgradeWith(token, "k-409", { tier_slug: "member", billing_cycle: "monthly" });
    expect(refused.status).toBe(409);
    const replayed = await upgradeWith(token, "k-409", { tier_slug: "member", billing_cycle: "monthly" });
    expect(replayed.status).toBe(409);
    expect(replayed.headers.get("Idempotent-Replayed")).toBe("true");
    expect(await replayed.json()).toEqual(await refused.json());

    const invalid = await upgradeWith(token, "k-400", { tier_slug: "pro", billing_cycle: "weekly" });
    expect(invalid.status).toBe(400);
    expect((await storedKeys(user.id)).map((row) => row.key)).toEqual(["k-409"]);
  });

  it.each([
    ["empty", ""],
    ["too long", "k".repeat(256)],
    ["not printable ASCII", "clé"],
  ])("answers 400 invalid_idempotency_key to a key that is %s and changes nothing", async (_, key) => {
    const { token } = await t.signup();
    const before = await snapshot(t.db);
    const res = await upgradeWith(token, key, { tier_slug: "pro", billing_cycle: "monthly" });
    expect(res.status).toBe(400);
    expect((await res.json()).error.code).toBe("invalid_idempotency_key");
    expect(await snapshot(t.db)).toBe(before);
  });

  it("forgets a key after 24 hours", async () => {
    const { token, user } = await t.signup();
    expect((await upgradeWith(token, "daily", { tier_slug: "pro", billing_cycle: "monthly" })).status).toBe(200);
    t.clock.advance({ hours: 23, minutes: 59 });
    // Access tokens live 15 minutes; a day later the client holds a fresh one of a new login.
    const later = await t.tokenFor(user.id);
    expect((await upgradeWith(later, "daily", { tier_slug: "business", billing_cycle: "monthly" })).status).toBe(422);
    t.clock.advance({ minutes: 1 });
    const res = await upgradeWith(later, "daily", { tier_slug: "business", billing_cycle: "monthly" });
    expect(res.status).toBe(200);
    expect(await upgrades(user.id)).toHaveLength(2);
    expect(await storedKeys(user.id)).toEqual([expect.objectContaining({ key: "daily", createdAt: t.clock.now() })]);
  });

  it("stores the answer in the change's own transaction: a failure after the writes leaves neither", async () => {
    const { token, user } = await t.signup();
    const send = () => upgradeWith(token, "atomic", { tier_slug: "pro", billing_cycle: "monthly" });
    // Storing the answer fails after the change's writes ran in the same batch: all of it rolls back.
    await t.db.execute(sql`CREATE FUNCTION refuse_key() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN RAISE EXCEPTION 'disk full'; END $$`);
    await t.db.execute(sql`CREATE TRIGGER refuse_key BEFORE INSERT ON idempotency_keys
      FOR EACH ROW EXECUTE FUNCTION refuse_key()`);
    try {
      expect((await send()).status).toBe(500);
      expect(await upgrades(user.id)).toHaveLength(0);
      expect(await storedKeys(user.id)).toEqual([]);
    } finally {
      await t.db.execute(sql`DROP TRIGGER refuse_key ON idempotency_keys`);
      await t.db.execute(sql`DROP FUNCTION refuse_key()`);
    }
    expect((await send()).status).toBe(200);
    const replay = await send();
    expect(replay.headers.get("Idempotent-Replayed")).toBe("true");
    expect(await upgrades(user.id)).toHaveLength(1);
  });

  it("runs concurrent duplicates once", async () => {
    const { token, user } = await t.signup();
    const json = { tier_slug: "elite", billing_cycle: "annual" };
    const responses = await Promise.all([1, 2, 3, 4].map(() => upgradeWith(token, "race", json)));
    const outcomes = responses.map((res) => `${res.status}${res.headers.get("Idempotent-Replayed") ? " replay" : ""}`);
    expect(outcomes.filter((outcome) => outcome === "200")).toHaveLength(1);
    expect(outcomes.filter((outcome) => outcome === "200 replay")).toHaveLength(3);
    expect(await upgrades(user.id)).toHaveLength(1);
  });

  it("answers 401 invalid_token, not 500, to a key sent with the token of a deleted user", async () => {
    const gone = await t.signup();
    await t.db.delete(users).where(eq(users.id, gone.user.id));
    const before = await snapshot(t.db);
    for (const [method, path] of [
      ["POST", UPGRADE],
      ["POST", "/api/user/subscription/resume"],
      ["DELETE", "/api/user/subscription/cancel"],
    ] as const) {
      const json = path === UPGRADE ? { tier_slug: "pro", billing_cycle: "monthly" } : undefined;
      const res = await t.request(method, path, { token: gone.token, json, headers: { "Idempotency-Key": "orphan" } });
      expect([path, res.status, (await res.json()).error.code]).toEqual([path, 401, "invalid_token"]);
      expect(res.headers.get("WWW-Authenticate")).toMatch(/^Bearer/);
    }
    expect(await snapshot(t.db)).toBe(before);
  });

  it("covers the DELETE and admin changes too", async () => {
    const { token, user } = await t.signup();
    expect((await upgradeWith(token, "up", { tier_slug: "pro", billing_cycle: "monthly" })).status).toBe(200);
    const cancel = () =>
      t.request("DELETE", "/api/user/subscription/cancel", { token, headers: { "Idempotency-Key": "bye" } });
    const first = await cancel();
    expect(first.status).toBe(200);
    const second = await cancel();
    expect(second.status).toBe(200);
    expect(second.headers.get("Idempotent-Replayed")).toBe("true");
    expect((await historyOf(t.db, user.id)).filter((row) => row.action === "cancelled")).toHaveLength(1);

    const admin = await t.signup(undefined, { admin: true });
    const assign = () =>
      t.request("POST", `/api/admin/subscriptions/${user.id}/assign-tier`, {
        token: admin.token,
        json: { tier_slug: "business", billing_cycle: "annual", reason: "Support ticket 42" },
        headers: { "Idempotency-Key": "ticket-42" },
      });
    expect((await assign()).status).toBe(200);
    expect((await assign()).headers.get("Idempotent-Replayed")).toBe("true");
    expect((await historyOf(t.db, user.id)).filter((row) => row.action === "assigned")).toHaveLength(1);
    expect(await storedKeys(admin.user.id)).toEqual([expect.objectContaining({ key: "ticket-42", statusCode: 200 })]);
  });
});

describe("changeKey() around a handler", () => {
  it("stores a refusal the handler gave and nothing after a server error, so that retry runs again", async () => {
    const { user } = await t.signup();
    let runs = 0;
    const app = new Hono<AppEnv>();
    app.onError(errorHandler(() => {}));
    app.use(database({ db: t.db }));
    app.use(async (c, next) => {
      c.set("auth", { userId: user.id, email: user.email, displayName: user.display_name, isAdmin: false });
      await next();
    });
    app.post("/work", changeKey(t.deps), () => {
      runs += 1;
      if (runs === 1) throw new Error("the database went away");
      throw new ApiError(409, "not_an_upgrade", "No.");
    });
    const send = (key: string) => app.request("/work", { method: "POST", headers: { "Idempotency-Key": key } });

    expect((await send("flaky")).status).toBe(500);
    expect(await storedKeys(user.id)).toEqual([]);
    expect((await send("flaky")).status).toBe(409);
    expect(await storedKeys(user.id)).toEqual([
      expect.objectContaining({
        key: "flaky",
        statusCode: 409,
        responseBody: expect.objectContaining({ success: false }),
      }),
    ]);
    expect(runs).toBe(2);
  });
});
