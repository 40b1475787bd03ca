import { Hono } from "hono";
import { beforeAll, describe, expect, it } from "vitest";
import {
  AUDIENCE,
  createSigningKey,
  fakeTierkit,
  ISSUER,
  memberClaims,
  proClaims,
  type SigningKey,
  signWith,
} from "../../tests/support/edge-issuer.ts";
import { requireTier, tierkit } from "../index.ts";

let key: SigningKey;
beforeAll(async () => {
  key = await createSigningKey();
});

function setup(slug: string) {
  const issuer = fakeTierkit();
  issuer.state.keys = [key];
  let now = new Date();
  const app = new Hono()
    .use(
      tierkit({
        jwksUrl: issuer.jwksUrl,
        issuer: ISSUER,
        audience: AUDIENCE,
        fetch: issuer.fetch,
        clock: () => now,
        cooldownMs: 30_000,
        cacheMaxAgeMs: 600_000,
      }),
    )
    .get("/gated", requireTier(slug), (c) => c.json({ ok: true }));
  const get = async (claims: Record<string, unknown>) =>
    app.request("/gated", { headers: { Authorization: `Bearer ${await signWith(key, claims, { now })}` } });
  return { issuer, get, advance: (ms: number) => (now = new Date(now.getTime() + ms)) };
}

describe("requireTier()", () => {
  it("refuses a non-slug at construction", () => {
    expect(() => requireTier("Pro Plan")).toThrow(TypeError);
  });

  it("admits pro and anything above pro's level, refuses member with 403 tier_required", async () => {
    const { get } = setup("pro");
    expect((await get(proClaims)).status).toBe(200);
    expect((await get({ ...proClaims, tier_slug: "family", tier_level: 5 })).status).toBe(200);
    const refused = await get(memberClaims);
    expect(refused.status).toBe(403);
    expect(await refused.json()).toEqual({
      success: false,
      error: { code: "tier_required", message: expect.stringContaining("pro") },
    });
  });

  it("learns levels from /api/tiers once and keeps them for the cache age", async () => {
    const { issuer, get, advance } = setup("pro");
    await get(proClaims);
    await get(memberClaims);
    expect(issuer.state.tiersFetches).toBe(1);
    advance(600_001);
    issuer.state.tiers = issuer.state.tiers.map((tier) => (tier.slug === "pro" ? { ...tier, tier_level: 3 } : tier));
    expect((await get(proClaims)).status).toBe(403);
    expect(issuer.state.tiersFetches).toBe(2);
  });

  it("fails closed for a slug the catalog does not know, refetching it at most once per cooldown", async () => {
    const { issuer, get, advance } = setup("platinum");
    expect((await get({ ...proClaims, tier_level: 99 })).status).toBe(403);
    expect((await get(proClaims)).status).toBe(403);
    expect(issuer.state.tiersFetches).toBe(1);
    advance(30_000);
    issuer.state.tiers.push({ slug: "platinum", tier_level: 6 });
    expect((await get({ ...proClaims, tier_slug: "platinum", tier_level: 6 })).status).toBe(200);
    expect(issuer.state.tiersFetches).toBe(2);
  });

  it("answers 503 tiers_unavailable when the catalog cannot be fetched", async () => {
    const { issuer, get } = setup("pro");
    issuer.state.tiersDown = true;
    const res = await get(proClaims);
    expect(res.status).toBe(503);
    expect(await res.json()).toEqual({
      success: false,
      error: { code: "tiers_unavailable", message: expect.any(String) },
    });
  });
});
