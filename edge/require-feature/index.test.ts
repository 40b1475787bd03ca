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
import { requireFeature, tierkit } from "../index.ts";

let key: SigningKey;
let app: Hono;
beforeAll(async () => {
  key = await createSigningKey();
  const issuer = fakeTierkit();
  issuer.state.keys = [key];
  app = new Hono()
    .use(tierkit({ jwksUrl: issuer.jwksUrl, issuer: ISSUER, audience: AUDIENCE, fetch: issuer.fetch }))
    .get("/api-access", requireFeature("api_access"), (c) => c.json({ ok: true }))
    .get("/messages", requireFeature("messages_per_day"), (c) => c.json({ ok: true }));
});

const get = async (path: string, claims: Record<string, unknown>) =>
  app.request(path, { headers: { Authorization: `Bearer ${await signWith(key, claims)}` } });

describe("requireFeature()", () => {
  it("refuses an empty key at construction", () => {
    expect(() => requireFeature("")).toThrow(TypeError);
  });

  it("reads the ent claim: a flag that is on passes, off is 403 feature_required", async () => {
    expect((await get("/api-access", proClaims)).status).toBe(200);
    const refused = await get("/api-access", memberClaims);
    expect(refused.status).toBe(403);
    expect(await refused.json()).toEqual({
      success: false,
      error: { code: "feature_required", message: expect.stringContaining("api_access") },
    });
  });

  it("counts a limit as included when it allows anything, unlimited (null) included", async () => {
    expect((await get("/messages", memberClaims)).status).toBe(200);
    expect((await get("/messages", { ...memberClaims, ent: { messages_per_day: null } })).status).toBe(200);
    expect((await get("/messages", { ...memberClaims, ent: { messages_per_day: 0 } })).status).toBe(403);
    expect((await get("/messages", { ...memberClaims, ent: {} })).status).toBe(403);
  });
});
