import { eq } from "drizzle-orm";
import { SignJWT, decodeJwt } from "jose";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { JWT_AUDIENCE, JWT_ISSUER } from "../../api/lib/jwt.ts";
import { users } from "../../db/schema.ts";
import { TEST_JWT_SECRET, type TestApp, createTestApp } from "../support/test-app.ts";

let t: TestApp;
let member: { token: string; user: { id: string; email: string; display_name: string } };

const b64url = (value: unknown) => Buffer.from(JSON.stringify(value)).toString("base64url");
const key = (secret = TEST_JWT_SECRET) => new TextEncoder().encode(secret);

function sign(
  claims: Record<string, unknown>,
  options: { secret?: string; iss?: string; aud?: string; alg?: string; lifetime?: number } = {},
) {
  const iat = Math.floor(t.clock.now().getTime() / 1000);
  return new SignJWT(claims)
    .setProtectedHeader({ alg: options.alg ?? "HS256", typ: "JWT" })
    .setIssuer(options.iss ?? JWT_ISSUER)
    .setAudience(options.aud ?? JWT_AUDIENCE)
    .setIssuedAt(iat)
    .setExpirationTime(iat + (options.lifetime ?? 3600))
    .sign(key(options.secret));
}

const baseClaims = () => ({ user_id: member.user.id, email: member.user.email, display_name: member.user.display_name });

async function expect401(token: string | null, code: string, authorization?: string) {
  const headers: Record<string, string> = {};
  if (authorization !== undefined) headers.Authorization = authorization;
  else if (token !== null) headers.Authorization = `Bearer ${token}`;
  const res = await t.request("GET", "/api/user/profile", { headers });
  expect(res.status).toBe(401);
  expect(res.headers.get("WWW-Authenticate")).toMatch(/^Bearer/);
  expect((await res.json()).error.code).toBe(code);
}

beforeAll(async () => {
  t = await createTestApp();
  member = await t.signup("jwt-member@example.com", { displayName: "Jay" });
});
afterAll(() => t.close());

describe("issued tokens", () => {
  it("carry the user, the tier snapshot, iss, aud and a 7-day expiry", async () => {
    const claims = decodeJwt(member.token);
    expect(claims).toMatchObject({
      user_id: member.user.id,
      email: "jwt-member@example.com",
      display_name: "Jay",
      is_admin: false,
      tier_slug: "member",
      tier_level: 1,
      subscription_status: "active",
      iss: "tierkit",
      aud: "tierkit-api",
    });
    expect((claims.exp ?? 0) - (claims.iat ?? 0)).toBe(7 * 24 * 60 * 60);
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

  it("refuses alg none", async () => {
    const token = `${b64url({ alg: "none", typ: "JWT" })}.${b64url({ ...decodeJwt(member.token) })}.`;
    await expect401(token, "invalid_token");
  });

  it("refuses another algorithm even with the right secret", async () => {
    await expect401(await sign(baseClaims(), { alg: "HS512" }), "invalid_token");
  });

  it("refuses a token signed with another key", async () => {
    await expect401(await sign(baseClaims(), { secret: "some-other-secret-of-sufficient-length-123456" }), "invalid_token");
  });

  it("refuses a tampered tier claim", async () => {
    const [header, , signature] = member.token.split(".");
    const payload = { ...decodeJwt(member.token), tier_slug: "family", tier_level: 5, is_admin: true };
    await expect401(`${header}.${b64url(payload)}.${signature}`, "invalid_token");
  });

  it("refuses the wrong issuer and the wrong audience", async () => {
    await expect401(await sign(baseClaims(), { iss: "someone-else" }), "invalid_token");
    await expect401(await sign(baseClaims(), { aud: "another-api" }), "invalid_token");
  });

  it("refuses claims of the wrong shape instead of failing later", async () => {
    await expect401(await sign({ ...baseClaims(), user_id: "not-a-uuid" }), "invalid_token");
    await expect401(await sign({ email: member.user.email }), "invalid_token");
  });

  it("refuses an expired token once the clock passes 7 days", async () => {
    const fresh = await t.signup("jwt-expiry@example.com");
    expect((await t.request("GET", "/api/user/profile", { token: fresh.token })).status).toBe(200);
    t.clock.advance({ days: 7, seconds: 1 });
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

describe("backward compatibility", () => {
  it("accepts a token issued before tiers existed (no tier claims, no is_admin)", async () => {
    const legacy = await sign(baseClaims());
    const res = await t.request("GET", "/api/user/profile", { token: legacy });
    expect(res.status).toBe(200);
    expect((await res.json()).user).toMatchObject({ id: member.user.id, tier_slug: "member", tier_level: 1 });
  });
});
