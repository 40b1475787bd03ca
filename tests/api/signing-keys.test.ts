import { decodeJwt, decodeProtectedHeader } from "jose";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createApp } from "../../api/app.ts";
import { loadTokenKeys, parseSigningKeys } from "../../api/lib/tokens/signing-keys.ts";
import { generateSigningJwk } from "../../api/server/signing-keys.ts";
import { snapshot } from "../support/fixtures.ts";
import { createTestApp, TEST_PASSWORD, TEST_SIGNING_KEY, type TestApp } from "../support/test-app.ts";
import { kidOf, signEs256 } from "../support/token-forge.ts";

// Rotation as an operator runs it: each step is a deploy with another JWT_SIGNING_KEYS, here an app
// built with those keys over the same database and clock.

let t: TestApp;
const keyA = TEST_SIGNING_KEY;
const keyB = generateSigningJwk();

beforeAll(async () => {
  t = await createTestApp();
});
afterAll(() => t.close());

async function deploy(signingKeys = [keyA]) {
  const app = createApp({ ...t.deps, keys: await loadTokenKeys({ signingKeys }) });
  const call = (method: string, path: string, init: { token?: string; json?: unknown; ip?: string } = {}) =>
    app.request(path, {
      method,
      headers: {
        ...(init.token ? { Authorization: `Bearer ${init.token}` } : {}),
        ...(init.json !== undefined ? { "Content-Type": "application/json" } : {}),
        "cf-connecting-ip": init.ip ?? "198.51.100.1",
      },
      body: init.json === undefined ? undefined : JSON.stringify(init.json),
    });
  return {
    jwks: async () =>
      (await (await call("GET", "/.well-known/jwks.json")).json()) as { keys: Record<string, unknown>[] },
    profileStatus: async (token: string) => (await call("GET", "/api/user/profile", { token })).status,
    login: async (email: string) => {
      const res = await call("POST", "/api/auth/login", {
        json: { email, password: TEST_PASSWORD },
        ip: `198.51.100.${Math.floor(Math.random() * 250)}`,
      });
      expect(res.status).toBe(200);
      return (await res.json()) as { token: string; refresh_token: string };
    },
    refresh: (refreshToken: string) => call("POST", "/api/auth/refresh", { json: { refresh_token: refreshToken } }),
  };
}

describe("GET /.well-known/jwks.json", () => {
  it("publishes every configured key's public part under its thumbprint, cacheable", async () => {
    const res = await t.request("GET", "/.well-known/jwks.json");
    expect(res.status).toBe(200);
    expect(res.headers.get("Cache-Control")).toBe("public, max-age=300");
    const body = await res.json();
    expect(body).toEqual({
      keys: [{ kty: "EC", crv: "P-256", x: keyA.x, y: keyA.y, kid: await kidOf(keyA), alg: "ES256", use: "sig" }],
    });
    expect(JSON.stringify(body)).not.toContain(keyA.d);
  });
});

describe("rotating signing keys", () => {
  it("standby → current → previous kept for verification → removed", async () => {
    const [kidA, kidB] = [await kidOf(keyA), await kidOf(keyB)];
    const { user } = await t.signup("rotation@example.com");

    // 0. Only A.
    const before = await deploy([keyA]);
    const tokenA = (await before.login(user.email)).token;
    expect(decodeProtectedHeader(tokenA).kid).toBe(kidA);

    // 1. B added as standby: published, not signing.
    const standby = await deploy([keyA, keyB]);
    expect((await standby.jwks()).keys.map((key) => key.kid)).toEqual([kidA, kidB]);
    expect(decodeProtectedHeader((await standby.login(user.email)).token).kid).toBe(kidA);
    expect(await standby.profileStatus(tokenA)).toBe(200);

    // 2. B made current, A kept: new tokens are B's, A's keep working until they expire.
    const current = await deploy([keyB, keyA]);
    const tokenB = (await current.login(user.email)).token;
    expect(decodeProtectedHeader(tokenB).kid).toBe(kidB);
    expect(await current.profileStatus(tokenA)).toBe(200);
    expect(await current.profileStatus(tokenB)).toBe(200);
    // A deploy still on step 1 (during a rollout) verifies B's tokens too, since B was published.
    expect(await standby.profileStatus(tokenB)).toBe(200);

    // 3. Once A's last tokens have expired (ACCESS_TOKEN_TTL), A is removed: its kid is refused.
    t.clock.advance({ minutes: 15, seconds: 1 });
    const removed = await deploy([keyB]);
    expect((await removed.jwks()).keys.map((key) => key.kid)).toEqual([kidB]);
    const stillFresh = await signEs256(
      keyA,
      { user_id: user.id, email: user.email, display_name: user.display_name, sid: decodeJwt(tokenA).sid },
      t.clock.now(),
    );
    const before401 = await snapshot(t.db);
    expect(await removed.profileStatus(stillFresh)).toBe(401);
    expect(await snapshot(t.db)).toBe(before401);
    expect(await removed.profileStatus((await removed.login(user.email)).token)).toBe(200);
  });

  it("answers a refresh replayed within the grace window across a key change with the same successor", async () => {
    const { user } = await t.signup();
    const old = await deploy([keyA]);
    const session = await old.login(user.email);
    const first = await old.refresh(session.refresh_token);
    expect(first.status).toBe(200);
    const rotated = await deploy([keyB, keyA]);
    const again = await rotated.refresh(session.refresh_token);
    expect(again.status).toBe(200);
    expect((await again.json()).refresh_token).toBe((await first.json()).refresh_token);
  });
});

describe("JWT_SIGNING_KEYS", () => {
  it("refuses what is not a list of private P-256 JWKs, naming the problem", async () => {
    const { d: _d, ...publicOnly } = keyA;
    expect(() => parseSigningKeys("not json")).toThrow(/JSON array/);
    expect(() => parseSigningKeys("[]")).toThrow(/at least one key/);
    expect(() => parseSigningKeys(JSON.stringify([publicOnly]))).toThrow(/key 0\.d/);
    expect(() => parseSigningKeys(JSON.stringify([{ ...keyA, crv: "P-384" }]))).toThrow(/P-256/);
    expect(() => parseSigningKeys(JSON.stringify([{ kty: "oct", k: "c2VjcmV0" }]))).toThrow(/EC/);
    await expect(loadTokenKeys({ signingKeys: [keyA, keyA] })).rejects.toThrow(/same key twice/);
    await expect(loadTokenKeys({ signingKeys: [{ ...keyA, x: keyB.x }] })).rejects.toThrow(/not a valid P-256 key/);
  });
});
