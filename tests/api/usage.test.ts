import { eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { assignTier } from "../../api/services/subscriptions/index.ts";
import { queryRows } from "../../db/client/types.ts";
import { serviceKeys, usageCounters } from "../../db/schema.ts";
import { createTestApp, TEST_PASSWORD, type TestApp } from "../support/test-app.ts";

let t: TestApp;
let admin: { token: string; user: { id: string } };
let serviceKey: string;

beforeAll(async () => {
  t = await createTestApp({ start: "2025-03-10T15:30:00.000Z" });
  admin = await t.signup(undefined, { admin: true });
  serviceKey = await createKey("chat-service");
});
afterAll(() => t.close());

async function createKey(name: string): Promise<string> {
  const res = await t.request("POST", "/api/admin/service-keys", {
    token: admin.token,
    json: { name, scopes: ["usage:write"] },
  });
  expect(res.status).toBe(201);
  return ((await res.json()) as { key: string }).key;
}

const use = (
  action: "consume" | "release",
  feature: string,
  json: unknown,
  options: { key?: string; headers?: Record<string, string> } = {},
) =>
  t.request("POST", `/api/usage/${feature}/${action}`, {
    token: options.key ?? serviceKey,
    json,
    headers: options.headers,
  });

const counters = (userId: string) =>
  t.db
    .select({ feature: usageCounters.feature, period: usageCounters.period, used: usageCounters.used })
    .from(usageCounters)
    .where(eq(usageCounters.userId, userId));

async function assign(userId: string, tierSlug: string) {
  await assignTier(t.db, {
    adminId: admin.user.id,
    userId,
    tierSlug,
    billingCycle: tierSlug === "member" ? null : "monthly",
    reason: "usage test",
    now: t.clock.now(),
  });
}

describe("service keys", () => {
  it("answers the key once, stores only its hash, and lists keys without secrets", async () => {
    const res = await t.request("POST", "/api/admin/service-keys", {
      token: admin.token,
      json: { name: "docs-service", scopes: ["usage:write"] },
    });
    expect(res.status).toBe(201);
    const body = (await res.json()) as {
      key: string;
      service_key: { id: string; key_prefix: string; revoked_at: null };
    };
    expect(body.key).toMatch(/^tk_svc_[A-Za-z0-9_-]{43}$/);
    expect(body.key.startsWith(body.service_key.key_prefix)).toBe(true);

    const [row] = await t.db.select().from(serviceKeys).where(eq(serviceKeys.id, body.service_key.id));
    expect(row?.keyHash).toMatch(/^[0-9a-f]{64}$/);
    expect(JSON.stringify(row)).not.toContain(body.key);

    const list = await t.request("GET", "/api/admin/service-keys", { token: admin.token });
    const text = await list.text();
    expect(list.status).toBe(200);
    expect(text).toContain(body.service_key.id);
    expect(text).not.toContain(body.key);
    expect(text).not.toContain(row?.keyHash);
  });

  it("is for admins only, and refuses unknown scopes and empty names", async () => {
    const member = await t.signup();
    expect(
      (
        await t.request("POST", "/api/admin/service-keys", {
          token: member.token,
          json: { name: "x", scopes: ["usage:write"] },
        })
      ).status,
    ).toBe(403);
    expect((await t.request("GET", "/api/admin/service-keys", { token: member.token })).status).toBe(403);
    for (const json of [
      { name: "x", scopes: ["admin"] },
      { name: "x", scopes: [] },
      { name: " ", scopes: ["usage:write"] },
      { name: "x" },
    ]) {
      const res = await t.request("POST", "/api/admin/service-keys", { token: admin.token, json });
      expect(res.status, JSON.stringify(json)).toBe(400);
      expect((await res.json()).error.code).toBe("validation_error");
    }
  });

  it("revokes a key so that it stops working at once; an unknown id is 404", async () => {
    const key = await createKey("short-lived");
    const member = await t.signup();
    expect((await use("consume", "messages", { user_id: member.user.id, amount: 1 }, { key })).status).toBe(200);
    const [listed] = await t.db
      .select({ id: serviceKeys.id })
      .from(serviceKeys)
      .where(eq(serviceKeys.name, "short-lived"));

    const revoked = await t.request("DELETE", `/api/admin/service-keys/${listed?.id}`, { token: admin.token });
    expect(revoked.status).toBe(200);
    expect((await revoked.json()).service_key.revoked_at).toBe(t.clock.now().toISOString());

    const refused = await use("consume", "messages", { user_id: member.user.id, amount: 1 }, { key });
    expect(refused.status).toBe(401);
    expect((await refused.json()).error.code).toBe("invalid_service_key");
    expect(await counters(member.user.id)).toEqual([{ feature: "messages", period: "2025-03-10", used: 1 }]);

    const unknown = await t.request("DELETE", "/api/admin/service-keys/00000000-0000-4000-8000-000000000000", {
      token: admin.token,
    });
    expect(unknown.status).toBe(404);
  });
});

describe("POST /api/usage/{feature}/consume", () => {
  it("counts per UTC day against the current tier's limit, and the window resets at midnight", async () => {
    const member = await t.signup();
    const res = await use("consume", "messages", { user_id: member.user.id, amount: 49 });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({
      success: true,
      feature: "messages",
      user_id: member.user.id,
      used: 49,
      limit: 50,
      remaining: 1,
      resets_at: "2025-03-11T00:00:00.000Z",
    });

    const refused = await use("consume", "messages", { user_id: member.user.id, amount: 2 });
    expect(refused.status).toBe(429);
    expect(refused.headers.get("Retry-After")).toBe(String(8.5 * 3600));
    expect((await refused.json()).error).toMatchObject({ code: "limit_reached", details: [{ path: "amount" }] });
    expect(await counters(member.user.id)).toEqual([{ feature: "messages", period: "2025-03-10", used: 49 }]);

    expect((await use("consume", "messages", { user_id: member.user.id, amount: 1 })).status).toBe(200);
    expect((await use("consume", "messages", { user_id: member.user.id, amount: 1 })).status).toBe(429);

    t.clock.set("2025-03-11T00:00:00.000Z");
    try {
      const tomorrow = await use("consume", "messages", { user_id: member.user.id, amount: 1 });
      expect(await tomorrow.json()).toMatchObject({ used: 1, remaining: 49, resets_at: "2025-03-12T00:00:00.000Z" });
    } finally {
      t.clock.set("2025-03-10T15:30:00.000Z");
    }
  });

  it("never refuses an unlimited (null) limit", async () => {
    const user = await t.signup();
    await assign(user.user.id, "business");
    for (let i = 0; i < 3; i++) {
      const res = await use("consume", "messages", { user_id: user.user.id, amount: 1_000_000 });
      expect(res.status).toBe(200);
      expect(await res.json()).toMatchObject({ used: (i + 1) * 1_000_000, limit: null, remaining: null });
    }
  });

  it("applies a tier change at once: a total above a lower limit stays, further consumes wait until it is back under", async () => {
    const user = await t.signup();
    await assign(user.user.id, "pro");
    expect(await (await use("consume", "documents", { user_id: user.user.id, amount: 150 })).json()).toMatchObject({
      used: 150,
      limit: 200,
      remaining: 50,
      resets_at: null,
    });

    await assign(user.user.id, "member");
    const refused = await use("consume", "documents", { user_id: user.user.id, amount: 1 });
    expect(refused.status).toBe(429);
    expect(refused.headers.get("Retry-After")).toBeNull();
    expect(await counters(user.user.id)).toEqual([{ feature: "documents", period: "total", used: 150 }]);

    const released = await use("release", "documents", { user_id: user.user.id, amount: 141 });
    expect(await released.json()).toMatchObject({ used: 9, limit: 10, remaining: 1 });
    expect((await use("consume", "documents", { user_id: user.user.id, amount: 1 })).status).toBe(200);
    expect((await use("consume", "documents", { user_id: user.user.id, amount: 1 })).status).toBe(429);

    await assign(user.user.id, "elite");
    expect(await (await use("consume", "documents", { user_id: user.user.id, amount: 5000 })).json()).toMatchObject({
      used: 5010,
      limit: null,
    });
  });

  it("refuses a counter the user's tier does not define with 403 feature_not_included", async () => {
    const user = await t.signup();
    await t.db.execute(sql`INSERT INTO user_tiers (slug, name, description, tier_level, features)
                           VALUES ('bare', 'Bare', 'No features at all', 70, '{}')`);
    await assign(user.user.id, "bare");
    const res = await use("consume", "documents", { user_id: user.user.id, amount: 1 });
    expect(res.status).toBe(403);
    expect((await res.json()).error.code).toBe("feature_not_included");
    expect(await counters(user.user.id)).toEqual([]);
  });
});

describe("POST /api/usage/{feature}/release", () => {
  it("gives back a running total, never below zero", async () => {
    const member = await t.signup();
    await use("consume", "documents", { user_id: member.user.id, amount: 3 });
    expect(await (await use("release", "documents", { user_id: member.user.id, amount: 2 })).json()).toMatchObject({
      used: 1,
      remaining: 9,
    });
    const tooMuch = await use("release", "documents", { user_id: member.user.id, amount: 2 });
    expect(tooMuch.status).toBe(409);
    expect((await tooMuch.json()).error.code).toBe("release_exceeds_usage");
    expect(await counters(member.user.id)).toEqual([{ feature: "documents", period: "total", used: 1 }]);
  });
});

describe("bad input to the usage endpoints: a 4xx in the envelope, nothing counted", () => {
  const allCounters = () => queryRows(t.db, sql`SELECT * FROM usage_counters ORDER BY user_id, feature, period`);

  it.each([
    [
      "a user's token",
      "consume",
      "messages",
      (id: string) => ({ user_id: id, amount: 1 }),
      "user",
      401,
      "service_key_required",
    ],
    ["no credential", "consume", "messages", (id: string) => ({ user_id: id, amount: 1 }), "none", 401, "unauthorized"],
    [
      "an unknown service key",
      "consume",
      "messages",
      (id: string) => ({ user_id: id, amount: 1 }),
      "tk_svc_nope",
      401,
      "invalid_service_key",
    ],
    [
      "a negative amount",
      "consume",
      "messages",
      (id: string) => ({ user_id: id, amount: -5 }),
      "service",
      400,
      "validation_error",
    ],
    [
      "a zero amount",
      "consume",
      "documents",
      (id: string) => ({ user_id: id, amount: 0 }),
      "service",
      400,
      "validation_error",
    ],
    [
      "a fractional amount",
      "consume",
      "messages",
      (id: string) => ({ user_id: id, amount: 1.5 }),
      "service",
      400,
      "validation_error",
    ],
    [
      "a huge amount",
      "consume",
      "messages",
      (id: string) => ({ user_id: id, amount: 1e300 }),
      "service",
      400,
      "validation_error",
    ],
    [
      "an amount as a string",
      "consume",
      "messages",
      (id: string) => ({ user_id: id, amount: "1" }),
      "service",
      400,
      "validation_error",
    ],
    [
      "an extra field",
      "consume",
      "messages",
      (id: string) => ({ user_id: id, amount: 1, tier: "elite" }),
      "service",
      400,
      "validation_error",
    ],
    [
      "a malformed user id",
      "consume",
      "messages",
      () => ({ user_id: "me", amount: 1 }),
      "service",
      400,
      "validation_error",
    ],
    [
      "an unknown feature",
      "consume",
      "teleports",
      (id: string) => ({ user_id: id, amount: 1 }),
      "service",
      404,
      "unknown_feature",
    ],
    [
      "a flag, which is not counted",
      "consume",
      "api_access",
      (id: string) => ({ user_id: id, amount: 1 }),
      "service",
      404,
      "unknown_feature",
    ],
    [
      "a malformed feature",
      "consume",
      "Robert');DROP",
      (id: string) => ({ user_id: id, amount: 1 }),
      "service",
      400,
      "validation_error",
    ],
    [
      "an unknown user",
      "consume",
      "messages",
      () => ({ user_id: "00000000-0000-4000-8000-000000000000", amount: 1 }),
      "service",
      404,
      "user_not_found",
    ],
    [
      "release of a daily feature",
      "release",
      "messages",
      (id: string) => ({ user_id: id, amount: 1 }),
      "service",
      400,
      "not_a_running_total",
    ],
    [
      "release with a user's token",
      "release",
      "documents",
      (id: string) => ({ user_id: id, amount: 1 }),
      "user",
      401,
      "service_key_required",
    ],
    [
      "release of an unknown user",
      "release",
      "documents",
      () => ({ user_id: "00000000-0000-4000-8000-000000000000", amount: 1 }),
      "service",
      404,
      "user_not_found",
    ],
  ] as const)("%s", async (_name, action, feature, body, credential, status, code) => {
    const member = await t.signup();
    await use("consume", "documents", { user_id: member.user.id, amount: 2 });
    const before = await allCounters();
    const key =
      credential === "service"
        ? serviceKey
        : credential === "user"
          ? member.token
          : credential === "none"
            ? ""
            : credential;
    const res = await t.request("POST", `/api/usage/${encodeURIComponent(feature)}/${action}`, {
      json: body(member.user.id),
      headers: key ? { Authorization: `Bearer ${key}` } : {},
    });
    expect(res.status).toBe(status);
    expect(await res.json()).toEqual({
      success: false,
      error: expect.objectContaining({ code, message: expect.any(String) }),
    });
    expect(await allCounters()).toEqual(before);
  });

  it("accepts nothing but the key itself: not its stored hash, its prefix, or a changed character", async () => {
    const member = await t.signup();
    const [row] = await t.db
      .select({ hash: serviceKeys.keyHash, prefix: serviceKeys.keyPrefix })
      .from(serviceKeys)
      .where(eq(serviceKeys.name, "chat-service"));
    const flipped = `${serviceKey.slice(0, -1)}${serviceKey.endsWith("A") ? "B" : "A"}`;
    for (const credential of [row?.hash, `tk_svc_${row?.hash}`, row?.prefix, flipped, serviceKey.toUpperCase()]) {
      const res = await t.request("POST", "/api/usage/messages/consume", {
        json: { user_id: member.user.id, amount: 1 },
        headers: { Authorization: `Bearer ${credential}` },
      });
      expect(res.status, String(credential)).toBe(401);
    }
    expect(await counters(member.user.id)).toEqual([]);
  });

  it("refuses a revoked key", async () => {
    const key = await createKey("to-revoke");
    await t.db.update(serviceKeys).set({ revokedAt: t.clock.now() }).where(eq(serviceKeys.name, "to-revoke"));
    const member = await t.signup();
    const res = await use("consume", "messages", { user_id: member.user.id, amount: 1 }, { key });
    expect(res.status).toBe(401);
    expect(await counters(member.user.id)).toEqual([]);
  });
});

describe("Idempotency-Key on consume", () => {
  it("replays a retry without counting twice, refuses the key with another body, and saves nothing for a failed validation", async () => {
    const member = await t.signup();
    const headers = { "Idempotency-Key": "msg-42" };
    const first = await use("consume", "messages", { user_id: member.user.id, amount: 3 }, { headers });
    const retry = await use("consume", "messages", { amount: 3, user_id: member.user.id }, { headers });
    expect(retry.status).toBe(200);
    expect(retry.headers.get("Idempotent-Replayed")).toBe("true");
    expect(await retry.json()).toEqual(await first.json());
    expect(await counters(member.user.id)).toEqual([{ feature: "messages", period: "2025-03-10", used: 3 }]);

    const other = await use("consume", "messages", { user_id: member.user.id, amount: 4 }, { headers });
    expect(other.status).toBe(422);
    expect((await other.json()).error.code).toBe("idempotency_key_reused");

    const invalid = await use(
      "consume",
      "messages",
      { user_id: member.user.id, amount: 0 },
      { headers: { "Idempotency-Key": "msg-43" } },
    );
    expect(invalid.status).toBe(400);
    const valid = await use(
      "consume",
      "messages",
      { user_id: member.user.id, amount: 1 },
      { headers: { "Idempotency-Key": "msg-43" } },
    );
    expect(valid.status).toBe(200);
    expect(await counters(member.user.id)).toEqual([{ feature: "messages", period: "2025-03-10", used: 4 }]);
  });

  it("keeps keys per service: another service's identical key is its own request", async () => {
    const member = await t.signup();
    const other = await createKey("second-service");
    const headers = { "Idempotency-Key": "same-key" };
    await use("consume", "messages", { user_id: member.user.id, amount: 1 }, { headers });
    const second = await use("consume", "messages", { user_id: member.user.id, amount: 1 }, { headers, key: other });
    expect(second.headers.get("Idempotent-Replayed")).toBeNull();
    expect(await counters(member.user.id)).toEqual([{ feature: "messages", period: "2025-03-10", used: 2 }]);
  });
});

describe("GET /api/user/entitlements", () => {
  it("lists every feature of the caller's tier with usage in the current window", async () => {
    const member = await t.signup();
    await use("consume", "messages", { user_id: member.user.id, amount: 7 });
    await use("consume", "documents", { user_id: member.user.id, amount: 2 });
    const res = await t.request("GET", "/api/user/entitlements", { token: member.token });
    expect(res.status).toBe(200);
    const body = (await res.json()) as { features: { feature: string }[] };
    body.features.sort((a, b) => a.feature.localeCompare(b.feature));
    expect(body).toEqual({
      success: true,
      tier: { slug: "member", level: 1 },
      features: [
        { type: "flag", feature: "api_access", key: "api_access", enabled: false },
        {
          type: "limit",
          feature: "documents",
          key: "documents",
          window: "total",
          limit: 10,
          used: 2,
          remaining: 8,
          resets_at: null,
        },
        {
          type: "limit",
          feature: "messages",
          key: "messages_per_day",
          window: "day",
          limit: 50,
          used: 7,
          remaining: 43,
          resets_at: "2025-03-11T00:00:00.000Z",
        },
        { type: "flag", feature: "priority_support", key: "priority_support", enabled: false },
        {
          type: "limit",
          feature: "seats",
          key: "seats",
          window: "total",
          limit: 1,
          used: 0,
          remaining: 1,
          resets_at: null,
        },
        {
          type: "limit",
          feature: "storage_gb",
          key: "storage_gb",
          window: "total",
          limit: 1,
          used: 0,
          remaining: 1,
          resets_at: null,
        },
      ],
    });

    t.clock.set("2025-03-11T08:00:00.000Z");
    try {
      // Access tokens live 15 minutes: the next day needs a fresh one.
      const login = await t.request("POST", "/api/auth/login", {
        json: { email: member.user.email, password: TEST_PASSWORD },
        headers: { "cf-connecting-ip": "10.99.0.1" },
      });
      const { token } = (await login.json()) as { token: string };
      const next = (await (await t.request("GET", "/api/user/entitlements", { token })).json()) as {
        features: { feature: string; used: number }[];
      };
      expect(next.features.find((f) => f.feature === "messages")?.used).toBe(0);
      expect(next.features.find((f) => f.feature === "documents")?.used).toBe(2);
    } finally {
      t.clock.set("2025-03-10T15:30:00.000Z");
    }
  });

  it("lists nothing, without failing, for a tier whose features are {}", async () => {
    const user = await t.signup();
    await t.db.execute(sql`INSERT INTO user_tiers (slug, name, description, tier_level, features)
                           VALUES ('empty', 'Empty', 'Nothing included', 71, '{}') ON CONFLICT DO NOTHING`);
    await assign(user.user.id, "empty");
    const res = await t.request("GET", "/api/user/entitlements", { token: user.token });
    expect(await res.json()).toEqual({ success: true, tier: { slug: "empty", level: 71 }, features: [] });
  });

  it("needs the user's token", async () => {
    expect((await t.request("GET", "/api/user/entitlements")).status).toBe(401);
    expect((await t.request("GET", "/api/user/entitlements", { token: serviceKey })).status).toBe(401);
  });
});
