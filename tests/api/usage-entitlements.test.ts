import { sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { TEST_PASSWORD } from "../support/test-app.ts";
import { assign, serviceKey, setupUsageWorld, t, use } from "../support/usage-world.ts";

setupUsageWorld();

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
