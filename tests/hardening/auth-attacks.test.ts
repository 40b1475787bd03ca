import { sql } from "drizzle-orm";
import { decodeJwt } from "jose";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { JWT_AUDIENCE, JWT_ISSUER } from "../../api/lib/tokens/claims.ts";
import { generateSigningJwk } from "../../api/server/signing-keys.ts";
import { queryRows } from "../../db/client/types.ts";
import { snapshot } from "../support/fixtures.ts";
import { createTestApp, TEST_JWT_SECRET, TEST_PASSWORD, TEST_SIGNING_KEY, type TestApp } from "../support/test-app.ts";
import { usingPostgres } from "../support/test-db.ts";
import { b64url, type ForgeOptions, kidOf, publicKeyBytes, signEs256, signHmac } from "../support/token-forge.ts";

// The JWT attack set against every route that needs a token, every admin route with a member's
// token, and a burst of logins against the rate limit. tests/api/jwt.test.ts checks each refusal's
// code on one route; this suite checks that no route lets any attack through or changes anything.
// The app runs without JWT_SECRET, as a deployment that has retired its HS256 tokens.

let t: TestApp;
let member: { token: string; id: string; email: string; displayName: string };
let victim: { id: string };
let deleted: { token: string };
let loggedOut: { token: string };
const stranger = generateSigningJwk();

const sign = (claims: Record<string, unknown>, options: ForgeOptions = {}) =>
  signEs256(TEST_SIGNING_KEY, claims, t.clock.now(), options);

const claimsOf = () => ({ user_id: member.id, email: member.email, display_name: member.displayName, is_admin: true });

/** Tokens that must never authenticate anyone. Each claims admin rights, which makes any slip worse. */
async function attacks(): Promise<[string, string][]> {
  const [header, payload, signature] = member.token.split(".");
  const forgedPayload = b64url({ ...decodeJwt(member.token), is_admin: true, tier_slug: "family", tier_level: 5 });
  const now = Math.floor(t.clock.now().getTime() / 1000);
  const kid = await kidOf(TEST_SIGNING_KEY);
  const publicBytes = await publicKeyBytes(TEST_SIGNING_KEY);
  return [
    [
      "alg none",
      `${b64url({ alg: "none", typ: "JWT" })}.${b64url({
        ...claimsOf(),
        iss: JWT_ISSUER,
        aud: JWT_AUDIENCE,
        iat: now,
        exp: now + 60,
      })}.`,
    ],
    ["alg none, upper case", `${b64url({ alg: "NONE", typ: "JWT" })}.${payload}.`],
    ["alg none with our kid", `${b64url({ alg: "none", typ: "JWT", kid })}.${payload}.`],
    [
      "HS256 over the public key's PEM (algorithm confusion)",
      await signHmac(publicBytes.pem, claimsOf(), t.clock.now(), { kid }),
    ],
    ["HS256 over the public JWK's JSON", await signHmac(publicBytes.json, claimsOf(), t.clock.now(), { kid })],
    ["HS256 with the retired JWT_SECRET", await signHmac(TEST_JWT_SECRET, claimsOf(), t.clock.now())],
    ["a guessed secret", await signHmac("secret", claimsOf(), t.clock.now())],
    ["another P-256 key under its own kid", await signEs256(stranger, claimsOf(), t.clock.now())],
    ["another P-256 key under our kid", await signEs256(stranger, claimsOf(), t.clock.now(), { kid })],
    ["our key with an unknown kid", await sign(claimsOf(), { kid: "unknown" })],
    ["our key with no kid", await sign(claimsOf(), { kid: null })],
    ["a tampered payload under the original signature", `${header}.${forgedPayload}.${signature}`],
    ["the signature removed", `${header}.${payload}.`],
    ["the signature of another token", `${header}.${payload}.${deleted.token.split(".")[2]}`],
    ["RS256 header over an ES256 signature", `${b64url({ alg: "RS256", typ: "JWT", kid })}.${payload}.${signature}`],
    ["expired a second ago", await sign(claimsOf(), { iat: now - 901, lifetime: 900 })],
    ["not valid for another minute", await sign(claimsOf(), { nbf: now + 60 })],
    ["no expiry", await sign(claimsOf(), { lifetime: 0 })],
    ["another issuer", await sign(claimsOf(), { iss: "evil" })],
    ["no issuer", await sign(claimsOf(), { iss: "" })],
    ["another audience", await sign(claimsOf(), { aud: "other-api" })],
    ["a user id that is not a UUID", await sign({ ...claimsOf(), user_id: "1 OR 1=1" })],
    ["a user id as a number", await sign({ ...claimsOf(), user_id: 1 })],
    ["no user id", await sign({ email: member.email, display_name: member.displayName, is_admin: true })],
    ["a user who does not exist", await sign({ ...claimsOf(), user_id: "00000000-0000-4000-8000-000000000000" })],
    ["a session that does not exist", await sign({ ...claimsOf(), sid: "00000000-0000-4000-8000-000000000000" })],
    ["another user's session", await sign({ ...claimsOf(), sid: decodeJwt(deleted.token).sid })],
    ["a deleted user's genuine token", deleted.token],
    ["a logged-out session's genuine token", loggedOut.token],
    [
      "a kid header pointing at a file",
      `${b64url({ alg: "ES256", typ: "JWT", kid: "../../../../dev/null" })}.${payload}.${signature}`,
    ],
    ["a JWE-shaped token", `${b64url({ alg: "dir", enc: "A256GCM" })}..aaaa.bbbb.cccc`],
  ];
}

/** Every route of the app that takes a token: all of /api except sign-in, the catalog and the docs. */
function protectedRoutes(): { method: string; path: string }[] {
  // Stripe's webhook is authenticated by its signature instead (tests/api/payments-checkout.test.ts).
  const open = [
    "/api/auth/",
    "/api/tiers",
    "/api/openapi.json",
    "/api/docs",
    "/api/webhooks/",
    "/api/seats/invitation",
  ];
  const seen = new Set<string>();
  return t.app.routes
    .filter((r) => r.method !== "ALL" && r.path.startsWith("/api/") && !open.some((p) => r.path.startsWith(p)))
    .map((r) => ({
      method: r.method,
      path: r.path
        .replace(":user_id", victim.id)
        .replace(/:(id|member_id)\b/, crypto.randomUUID())
        .replace(/\/$/, ""),
    }))
    .filter((r) => !seen.has(`${r.method} ${r.path}`) && seen.add(`${r.method} ${r.path}`));
}

/** A body each route would accept, so only the token decides the answer. */
function bodyFor(method: string, path: string): unknown {
  if (method === "GET") return undefined;
  if (path.endsWith("/upgrade")) return { tier_slug: "family", billing_cycle: "annual" };
  if (path.endsWith("/assign-tier")) return { tier_slug: "family", billing_cycle: "annual", reason: "attack" };
  if (path.endsWith("/downgrade") && method === "POST") return { tier_slug: "member" };
  if (path.endsWith("/profile")) return { display_name: "Pwned" };
  if (path.endsWith("/seats/invitations")) return { email: "accomplice@example.com" };
  if (path.endsWith("/seats/accept")) return { token: "A".repeat(43) };
  return {};
}

beforeAll(async () => {
  t = await createTestApp();
  const signedUp = await t.signup(undefined, { displayName: "Mallory" });
  member = {
    token: signedUp.token,
    id: signedUp.user.id,
    email: signedUp.user.email,
    displayName: signedUp.user.display_name,
  };
  victim = { id: (await t.signup()).user.id };
  const gone = await t.signup();
  deleted = { token: gone.token };
  await t.db.execute(sql`DELETE FROM users WHERE id = ${gone.user.id}`);
  // Mallory's own second session, logged out: its token is genuine, unexpired and claims her own id.
  const second = await t.tokenFor(member.id);
  const logout = await t.request("POST", "/api/auth/logout", { token: second });
  if (logout.status !== 200) throw new Error(`logout failed: ${logout.status}`);
  loggedOut = { token: second };
});
afterAll(() => t.close());

describe("the JWT attack set on every route that needs a token", () => {
  it("finds the protected routes, admin ones included", () => {
    const routes = protectedRoutes();
    expect(routes.length).toBeGreaterThanOrEqual(12);
    expect(routes.filter((r) => r.path.startsWith("/api/admin/")).length).toBeGreaterThanOrEqual(6);
  });

  it("answers every attack on every route with 401 and a Bearer challenge, and changes nothing", async () => {
    const before = await snapshot(t.db);
    const wrong: string[] = [];
    const set = await attacks();
    for (const route of protectedRoutes()) {
      for (const [name, token] of set) {
        const res = await t.request(route.method, route.path, { token, json: bodyFor(route.method, route.path) });
        const body = (await res.json()) as { success?: boolean; error?: { code?: string } };
        if (
          res.status !== 401 ||
          !/^Bearer/.test(res.headers.get("WWW-Authenticate") ?? "") ||
          body.success !== false
        ) {
          wrong.push(`${route.method} ${route.path} with ${name}: ${res.status} ${body.error?.code ?? ""}`);
        }
      }
    }
    expect(wrong).toEqual([]);
    expect(await snapshot(t.db)).toBe(before);
  });
});

describe("every admin route with a member's token", () => {
  it("is refused with 403 forbidden, even when the token is genuine and claims is_admin", async () => {
    const before = await snapshot(t.db);
    const claimsAdmin = await sign(claimsOf());
    const wrong: string[] = [];
    for (const route of protectedRoutes().filter((r) => r.path.startsWith("/api/admin/"))) {
      for (const token of [member.token, claimsAdmin]) {
        const res = await t.request(route.method, route.path, { token, json: bodyFor(route.method, route.path) });
        const body = (await res.json()) as { error?: { code?: string } };
        if (res.status !== 403 || body.error?.code !== "forbidden")
          wrong.push(`${route.method} ${route.path}: ${res.status}`);
      }
    }
    expect(wrong).toEqual([]);
    expect(await snapshot(t.db)).toBe(before);
  });
});

describe(`login rate limit under a concurrent burst (${usingPostgres ? "PostgreSQL" : "PGlite"})`, () => {
  it("lets exactly 10 of 25 simultaneous attempts from one address through, refuses the rest with 429, then even the right password", async () => {
    const attempt = (password: string) =>
      t.request("POST", "/api/auth/login", {
        json: { email: member.email, password },
        headers: { "cf-connecting-ip": "203.0.113.77" },
      });
    const results = await Promise.all(Array.from({ length: 25 }, (_, i) => attempt(`wrong password ${i}`)));
    const statuses = results.map((res) => res.status).sort();
    expect(statuses.filter((s) => s === 401)).toHaveLength(10);
    expect(statuses.filter((s) => s === 429)).toHaveLength(15);
    for (const res of results.filter((r) => r.status === 429)) {
      expect(Number(res.headers.get("Retry-After"))).toBeGreaterThan(0);
      expect((await res.json()).error.code).toBe("rate_limited");
    }
    expect((await attempt(TEST_PASSWORD)).status).toBe(429);
    const [row] = await queryRows<{ last_login: Date | null }>(
      t.db,
      sql`SELECT last_login FROM users WHERE id = ${member.id}`,
    );
    expect(row?.last_login).toBeNull();
  });
});
