import { eq, sql } from "drizzle-orm";
import { decodeJwt } from "jose";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { hashRefreshToken } from "../../api/lib/tokens/refresh-token.ts";
import { queryRows } from "../../db/client/types.ts";
import { users } from "../../db/schema.ts";
import { snapshot } from "../support/fixtures.ts";
import { createTestApp, TEST_PASSWORD, TEST_SIGNING_KEY, type TestApp } from "../support/test-app.ts";
import { usingPostgres } from "../support/test-db.ts";
import { signEs256 } from "../support/token-forge.ts";

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(() => t.close());

const refresh = (refreshToken: unknown) =>
  t.request("POST", "/api/auth/refresh", { json: { refresh_token: refreshToken } });

async function refreshed(refreshToken: string): Promise<{ token: string; refresh_token: string }> {
  const res = await refresh(refreshToken);
  const body = await res.json();
  expect(res.status, JSON.stringify(body)).toBe(200);
  return body;
}

async function expectRefused(res: Response, status: number, code: string) {
  const body = await res.json();
  expect(res.status, JSON.stringify(body)).toBe(status);
  expect(body).toMatchObject({ success: false, error: { code } });
}

const profileStatus = async (token: string) => (await t.request("GET", "/api/user/profile", { token })).status;

describe("sign-up and login", () => {
  it("answer an access token and a refresh token of a new session each", async () => {
    const signedUp = await t.signup("refresh-login@example.com");
    expect(signedUp.refresh_token).toMatch(/^rt_[A-Za-z0-9_-]{43}$/);
    const res = await t.request("POST", "/api/auth/login", {
      json: { email: "refresh-login@example.com", password: TEST_PASSWORD },
      headers: { "cf-connecting-ip": "192.0.2.10" },
    });
    expect(res.status).toBe(200);
    const login = await res.json();
    expect(login.refresh_token).toMatch(/^rt_/);
    expect(login.refresh_token).not.toBe(signedUp.refresh_token);
    expect(decodeJwt(login.token).sid).not.toBe(decodeJwt(signedUp.token).sid);
  });

  it("store only the refresh token's SHA-256", async () => {
    const { refresh_token } = await t.signup();
    const rows = await queryRows<{ token_hash: string }>(t.db, sql`SELECT token_hash FROM refresh_tokens`);
    const stored = rows.map((row) => row.token_hash);
    expect(stored).toContain(await hashRefreshToken(refresh_token));
    expect(stored.some((hash) => hash.includes(refresh_token) || refresh_token.includes(hash))).toBe(false);
  });
});

describe("POST /api/auth/refresh", () => {
  it("exchanges a refresh token for a new pair of the same session, carrying the plan as stored now", async () => {
    const user = await t.signup();
    const upgraded = await t.request("POST", "/api/user/subscription/upgrade", {
      token: user.token,
      json: { tier_slug: "business", billing_cycle: "monthly" },
    });
    expect(upgraded.status).toBe(200);
    t.clock.advance({ minutes: 14 });
    const pair = await refreshed(user.refresh_token);
    expect(pair.refresh_token).not.toBe(user.refresh_token);
    const claims = decodeJwt(pair.token);
    expect(claims).toMatchObject({ sid: decodeJwt(user.token).sid, tier_slug: "business", ver: 2 });
    expect(claims.iat).toBe(Math.floor(t.clock.now().getTime() / 1000));
    expect(await profileStatus(pair.token)).toBe(200);
    // The successor works in turn.
    const next = await refreshed(pair.refresh_token);
    expect(decodeJwt(next.token).sid).toBe(claims.sid);
  });

  it("answers the same successor to the same token presented again within 30 seconds", async () => {
    const user = await t.signup();
    const first = await refreshed(user.refresh_token);
    t.clock.advance({ seconds: 30 });
    const again = await refreshed(user.refresh_token);
    expect(again.refresh_token).toBe(first.refresh_token);
    expect(decodeJwt(again.token).sid).toBe(decodeJwt(first.token).sid);
    // The session is intact: the successor still rotates.
    await refreshed(first.refresh_token);
  });

  it("ends the whole family when a used token comes back after the grace window", async () => {
    const user = await t.signup();
    const first = await refreshed(user.refresh_token);
    const second = await refreshed(first.refresh_token);
    t.clock.advance({ seconds: 31 });
    await expectRefused(await refresh(user.refresh_token), 401, "refresh_token_reused");
    // The thief's copy and the owner's current token are both dead now, and so are the session's access tokens.
    await expectRefused(await refresh(second.refresh_token), 401, "session_revoked");
    expect(await profileStatus(second.token)).toBe(401);
    expect(await profileStatus(user.token)).toBe(401);
  });

  it("refuses the refresh token of a deleted user, and changes nothing", async () => {
    const user = await t.signup();
    await t.db.delete(users).where(eq(users.id, user.user.id));
    const before = await snapshot(t.db);
    await expectRefused(await refresh(user.refresh_token), 401, "invalid_refresh_token");
    expect(await snapshot(t.db)).toBe(before);
  });

  it("refuses an expired refresh token (30 days) and an unknown one", async () => {
    const user = await t.signup();
    t.clock.advance({ days: 30 });
    const before = await snapshot(t.db);
    await expectRefused(await refresh(user.refresh_token), 401, "invalid_refresh_token");
    await expectRefused(await refresh(`rt_${"A".repeat(43)}`), 401, "invalid_refresh_token");
    expect(await snapshot(t.db)).toBe(before);
  });

  it("refuses malformed refresh tokens with 400 before reading anything", async () => {
    const before = await snapshot(t.db);
    const { token } = await t.signup();
    const afterSignup = await snapshot(t.db);
    for (const bad of [
      undefined,
      null,
      42,
      "",
      "rt_short",
      `rt_${"A".repeat(42)}!`,
      token,
      `xx_${"A".repeat(43)}`,
      `rt_${"A".repeat(44)}`,
    ]) {
      await expectRefused(await refresh(bad), 400, "validation_error");
    }
    await expectRefused(
      await t.request("POST", "/api/auth/refresh", {
        body: "{not json",
        headers: { "Content-Type": "application/json" },
      }),
      400,
      "invalid_json",
    );
    expect(await snapshot(t.db)).toBe(afterSignup);
    expect(before).not.toBe(afterSignup);
  });
});

describe("POST /api/auth/logout", () => {
  it("with the refresh token ends the session: its refresh and access tokens are refused at once", async () => {
    const user = await t.signup();
    const other = await t.request("POST", "/api/auth/login", {
      json: { email: user.user.email, password: TEST_PASSWORD },
      headers: { "cf-connecting-ip": "192.0.2.11" },
    });
    const otherSession = await other.json();
    const res = await t.request("POST", "/api/auth/logout", { json: { refresh_token: user.refresh_token } });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ success: true });
    await expectRefused(await refresh(user.refresh_token), 401, "session_revoked");
    for (const [method, path] of [
      ["GET", "/api/user/profile"],
      ["GET", "/api/user/subscription"],
      ["GET", "/api/features/priority-support"],
    ] as const) {
      expect((await t.request(method, path, { token: user.token })).status, path).toBe(401);
    }
    const change = await t.request("POST", "/api/user/subscription/upgrade", {
      token: user.token,
      json: { tier_slug: "pro", billing_cycle: "monthly" },
    });
    expect(change.status).toBe(401);
    // The user's other session (another device) is untouched.
    expect(await profileStatus(otherSession.token)).toBe(200);
    await refreshed(otherSession.refresh_token);
  });

  it("refuses the subscription page of an ended session, or of another user's session, with 401 invalid_token", async () => {
    const user = await t.signup();
    const other = await t.signup();
    const page = (token: string) => t.request("GET", "/api/user/subscription", { token });
    const { user_id, email, display_name } = decodeJwt(user.token);
    const borrowed = await signEs256(
      TEST_SIGNING_KEY,
      { user_id, email, display_name, sid: decodeJwt(other.token).sid },
      t.clock.now(),
    );
    expect((await page(user.token)).status).toBe(200);
    expect((await page(other.token)).status).toBe(200);
    await expectRefused(await page(borrowed), 401, "invalid_token");
    expect((await t.request("POST", "/api/auth/logout", { token: user.token })).status).toBe(200);
    const refused = await page(user.token);
    expect(refused.headers.get("WWW-Authenticate")).toBe('Bearer realm="tierkit", error="invalid_token"');
    await expectRefused(refused, 401, "invalid_token");
    expect((await page(other.token)).status).toBe(200);
  });

  it("with the access token alone ends that session too", async () => {
    const user = await t.signup();
    const res = await t.request("POST", "/api/auth/logout", { token: user.token });
    expect(res.status).toBe(200);
    expect(await profileStatus(user.token)).toBe(401);
    await expectRefused(await refresh(user.refresh_token), 401, "session_revoked");
  });

  it("refuses a logout without credentials or with an unknown refresh token", async () => {
    await expectRefused(await t.request("POST", "/api/auth/logout"), 401, "unauthorized");
    await expectRefused(
      await t.request("POST", "/api/auth/logout", { json: { refresh_token: `rt_${"B".repeat(43)}` } }),
      401,
      "invalid_refresh_token",
    );
    await expectRefused(
      await t.request("POST", "/api/auth/logout", { json: { refresh_token: "nope" } }),
      400,
      "validation_error",
    );
  });

  it("refuses an admin route with a logged-out admin's token", async () => {
    const admin = await t.signup(undefined, { admin: true });
    expect((await t.request("GET", "/api/admin/subscription-stats", { token: admin.token })).status).toBe(200);
    expect((await t.request("POST", "/api/auth/logout", { token: admin.token })).status).toBe(200);
    expect((await t.request("GET", "/api/admin/subscription-stats", { token: admin.token })).status).toBe(401);
  });
});

describe(`two parallel refreshes of one token (${usingPostgres ? "PostgreSQL" : "PGlite"})`, () => {
  it("both succeed with the same successor, and the family stays whole", async () => {
    for (let round = 0; round < 5; round += 1) {
      const user = await t.signup();
      const [a, b] = await Promise.all([refresh(user.refresh_token), refresh(user.refresh_token)]);
      const [bodyA, bodyB] = [await a.json(), await b.json()];
      expect([a.status, b.status], JSON.stringify([bodyA, bodyB])).toEqual([200, 200]);
      expect(bodyA.refresh_token).toBe(bodyB.refresh_token);
      const rows = await queryRows<{ n: number }>(
        t.db,
        sql`SELECT count(*)::int AS n FROM refresh_tokens r JOIN auth_sessions s ON s.id = r.session_id
            WHERE s.user_id = ${user.user.id} AND s.revoked_at IS NULL`,
      );
      expect(rows[0]?.n).toBe(2);
      await refreshed(bodyA.refresh_token);
    }
  });
});
