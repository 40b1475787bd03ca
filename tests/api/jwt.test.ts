import { eq } from "drizzle-orm";
import { decodeJwt, decodeProtectedHeader } from "jose";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { generateSigningJwk } from "../../api/server/signing-keys.ts";
import { users } from "../../db/schema.ts";
import { createTestApp, TEST_JWT_SECRET, TEST_SIGNING_KEY, type TestApp } from "../support/test-app.ts";
import { b64url, kidOf, publicKeyBytes, signEs256, signHmac } from "../support/token-forge.ts";

let t: TestApp;
let member: { token: string; user: { id: string; email: string; display_name: string } };

const baseClaims = () => ({
  user_id: member.user.id,
  email: member.user.email,
  display_name: member.user.display_name,
});
const es256 = (claims: Record<string, unknown>, options = {}) =>
  signEs256(TEST_SIGNING_KEY, claims, t.clock.now(), options);

async function expect401(token: string | null, code: string, authorization?: string) {
  const headers: Record<string, string> = {};
  if (authorization !== undefined) headers.Authorization = authorization;
  else if (token !== null) headers.Authorization = `Bearer ${token}`;
  const res = await t.request("GET", "/api/user/profile", { headers });
  expect(res.status).toBe(401);
  expect(res.headers.get("WWW-Authenticate")).toMatch(/^Bearer/);
  const body = await res.json();
  expect(body.success).toBe(false);
  expect(body.error.code).toBe(code);
}

// The legacy secret is configured here, so every HS256 refusal below holds even while it is set.
beforeAll(async () => {
  t = await createTestApp({ legacySecret: TEST_JWT_SECRET });
  member = await t.signup("jwt-member@example.com", { displayName: "Jay" });
});
afterAll(() => t.close());

describe("issued tokens", () => {
  it("are ES256 under the current key's thumbprint, live 15 minutes, and carry the plan, ent, ver and sid", async () => {
    expect(decodeProtectedHeader(member.token)).toEqual({
      alg: "ES256",
      typ: "JWT",
      kid: await kidOf(TEST_SIGNING_KEY),
    });
    const claims = decodeJwt(member.token);
    expect(claims).toMatchObject({
      sub: member.user.id,
      user_id: member.user.id,
      email: "jwt-member@example.com",
      display_name: "Jay",
      is_admin: false,
      tier_slug: "member",
      tier_level: 1,
      subscription_status: "active",
      ent: { messages_per_day: 50, documents: 10, storage_gb: 1, seats: 1, priority_support: false, api_access: false },
      ver: 1,
      sid: expect.stringMatching(/^[0-9a-f-]{36}$/),
      iss: "tierkit",
      aud: "tierkit-api",
    });
    expect((claims.exp ?? 0) - (claims.iat ?? 0)).toBe(15 * 60);
  });

  it("follow ACCESS_TOKEN_TTL", async () => {
    const short = await createTestApp({ keys: t.deps.keys });
    try {
      short.deps.accessTokenTtlSeconds = 120;
      const { token } = await short.signup("jwt-ttl@example.com");
      const claims = decodeJwt(token);
      expect((claims.exp ?? 0) - (claims.iat ?? 0)).toBe(120);
    } finally {
      await short.close();
    }
  });

  it("grow ver with every plan change and keep the sid", async () => {
    const before = decodeJwt(member.token);
    const res = await t.request("POST", "/api/user/subscription/upgrade", {
      token: member.token,
      json: { tier_slug: "pro", billing_cycle: "monthly" },
    });
    expect(res.status).toBe(200);
    const after = decodeJwt((await res.json()).token);
    expect(after).toMatchObject({ tier_slug: "pro", ver: (before.ver as number) + 1, sid: before.sid });
    expect(after.ent).toMatchObject({ messages_per_day: 500, priority_support: false });
  });
});

describe("refused tokens", () => {
  it("refuses a missing or non-Bearer Authorization header", async () => {
    await expect401(null, "unauthorized");
    await expect401(null, "unauthorized", `Basic ${Buffer.from("a:b").toString("base64")}`);
    await expect401(null, "unauthorized", "Bearer ");
  });

  it("refuses garbage", async () => {
    await expect401("garbage", "invalid_token");
    await expect401("a.b.c", "invalid_token");
  });

  it("refuses alg none, with and without a kid", async () => {
    const payload = b64url({ ...decodeJwt(member.token) });
    await expect401(`${b64url({ alg: "none", typ: "JWT" })}.${payload}.`, "invalid_token");
    await expect401(
      `${b64url({ alg: "none", typ: "JWT", kid: await kidOf(TEST_SIGNING_KEY) })}.${payload}.`,
      "invalid_token",
    );
  });

  it("refuses HS256 signed with the public key's bytes (algorithm confusion)", async () => {
    const { pem, json } = await publicKeyBytes(TEST_SIGNING_KEY);
    const kid = await kidOf(TEST_SIGNING_KEY);
    for (const secret of [pem, json]) {
      await expect401(await signHmac(secret, baseClaims(), t.clock.now(), { kid }), "invalid_token");
      await expect401(await signHmac(secret, baseClaims(), t.clock.now()), "invalid_token");
    }
  });

  it("refuses an ES256 header over the legacy secret's HMAC, and other HMAC algorithms with the real secret", async () => {
    const hmac = await signHmac(TEST_JWT_SECRET, baseClaims(), t.clock.now());
    const [, payload, signature] = hmac.split(".");
    await expect401(
      `${b64url({ alg: "ES256", typ: "JWT", kid: await kidOf(TEST_SIGNING_KEY) })}.${payload}.${signature}`,
      "invalid_token",
    );
    await expect401(await signHmac(TEST_JWT_SECRET, baseClaims(), t.clock.now(), { alg: "HS512" }), "invalid_token");
  });

  it("refuses an unknown kid, a missing kid, and a key that is not configured under our kid", async () => {
    const stranger = generateSigningJwk();
    await expect401(await signEs256(stranger, baseClaims(), t.clock.now()), "invalid_token");
    await expect401(await es256(baseClaims(), { kid: "no-such-key" }), "invalid_token");
    await expect401(await es256(baseClaims(), { kid: null }), "invalid_token");
    await expect401(
      await signEs256(stranger, baseClaims(), t.clock.now(), { kid: await kidOf(TEST_SIGNING_KEY) }),
      "invalid_token",
    );
  });

  it("refuses a tampered tier claim", async () => {
    const [header, , signature] = member.token.split(".");
    const payload = { ...decodeJwt(member.token), tier_slug: "family", tier_level: 5, is_admin: true };
    await expect401(`${header}.${b64url(payload)}.${signature}`, "invalid_token");
  });

  it("refuses the wrong issuer and the wrong audience", async () => {
    await expect401(await es256(baseClaims(), { iss: "someone-else" }), "invalid_token");
    await expect401(await es256(baseClaims(), { aud: "another-api" }), "invalid_token");
    await expect401(await es256(baseClaims(), { iss: "" }), "invalid_token");
  });

  it("refuses a token that is not valid yet", async () => {
    const now = Math.floor(t.clock.now().getTime() / 1000);
    await expect401(await es256(baseClaims(), { nbf: now + 60 }), "invalid_token");
  });

  it("refuses claims of the wrong shape instead of failing later", async () => {
    await expect401(await es256({ ...baseClaims(), user_id: "not-a-uuid" }), "invalid_token");
    await expect401(await es256({ email: member.user.email }), "invalid_token");
    await expect401(await es256({ ...baseClaims(), sid: "not-a-session" }), "invalid_token");
    await expect401(await es256(baseClaims(), { lifetime: 0 }), "invalid_token");
  });

  it("refuses an expired token once the clock passes 15 minutes", async () => {
    const fresh = await t.signup("jwt-expiry@example.com");
    t.clock.advance({ minutes: 14, seconds: 59 });
    expect((await t.request("GET", "/api/user/profile", { token: fresh.token })).status).toBe(200);
    t.clock.advance({ seconds: 2 });
    await expect401(fresh.token, "token_expired");
  });

  it("refuses a valid token of a user who no longer exists", async () => {
    const doomed = await t.signup("jwt-deleted@example.com");
    await t.db.delete(users).where(eq(users.id, doomed.user.id));
    await expect401(doomed.token, "invalid_token");
  });

  it("answers every route of a gone caller with the same 401, whichever layer finds out", async () => {
    const doomed = await t.signup("jwt-gone-everywhere@example.com");
    await t.db.delete(users).where(eq(users.id, doomed.user.id));
    const calls: [string, string, unknown?][] = [
      ["GET", "/api/user/profile"],
      ["PATCH", "/api/user/profile", { bio: "hello" }],
      ["GET", "/api/user/subscription"],
      ["POST", "/api/user/subscription/upgrade", { tier_slug: "pro", billing_cycle: "monthly" }],
      ["POST", "/api/user/subscription/downgrade", { tier_slug: "member" }],
      ["DELETE", "/api/user/subscription/downgrade"],
      ["DELETE", "/api/user/subscription/cancel"],
      ["POST", "/api/user/subscription/resume"],
      ["GET", "/api/features/priority-support"],
      ["GET", "/api/admin/users"],
      ["GET", "/api/user/seats"],
      ["POST", "/api/user/seats/invitations", { email: "friend@example.com" }],
      ["DELETE", `/api/user/seats/invitations/${crypto.randomUUID()}`],
      ["DELETE", `/api/user/seats/${crypto.randomUUID()}`],
      ["DELETE", "/api/user/seat"],
      ["POST", "/api/seats/accept", { token: "A".repeat(43) }],
    ];
    for (const [method, path, json] of calls) {
      const res = await t.request(method, path, { token: doomed.token, json });
      const body = await res.json();
      expect([method, path, res.status, body.error?.code]).toEqual([method, path, 401, "invalid_token"]);
      expect(res.headers.get("WWW-Authenticate")).toBe('Bearer realm="tierkit", error="invalid_token"');
    }
  });
});

describe("tokens signed with the legacy HS256 secret", () => {
  it("keep working while JWT_SECRET is set, including tokens from before tiers", async () => {
    const legacy = await signHmac(TEST_JWT_SECRET, baseClaims(), t.clock.now(), { lifetime: 7 * 24 * 3600 });
    const res = await t.request("GET", "/api/user/profile", { token: legacy });
    expect(res.status).toBe(200);
    expect((await res.json()).user).toMatchObject({ id: member.user.id, tier_level: 2 });
    // Of no session, so the subscription page reads the row without a session check.
    const page = await t.request("GET", "/api/user/subscription", { token: legacy });
    expect(page.status).toBe(200);
    expect((await page.json()).subscription).toMatchObject({ tier: { level: 2 }, via: "own" });
  });

  it("answer a change with an ES256 token (of no session, as they had none)", async () => {
    const legacy = await signHmac(TEST_JWT_SECRET, baseClaims(), t.clock.now());
    const res = await t.request("PATCH", "/api/user/profile", { token: legacy, json: { bio: "from an old token" } });
    expect(res.status).toBe(200);
    const token = (await res.json()).token as string;
    expect(decodeProtectedHeader(token).alg).toBe("ES256");
    expect(decodeJwt(token).sid).toBeUndefined();
  });

  it("stop working once JWT_SECRET is removed", async () => {
    const without = await createTestApp();
    try {
      const user = await without.signup("jwt-no-legacy@example.com");
      const legacy = await signHmac(
        TEST_JWT_SECRET,
        { user_id: user.user.id, email: user.user.email, display_name: user.user.display_name },
        without.clock.now(),
      );
      const res = await without.request("GET", "/api/user/profile", { token: legacy });
      expect(res.status).toBe(401);
      expect((await res.json()).error.code).toBe("invalid_token");
      expect((await without.request("GET", "/api/user/profile", { token: user.token })).status).toBe(200);
    } finally {
      await without.close();
    }
  });
});
