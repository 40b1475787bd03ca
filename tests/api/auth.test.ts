import { eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { queryRows } from "../../db/client/types.ts";
import { subscriptionHistory, userSubscriptions, users } from "../../db/schema.ts";
import { createTestApp, TEST_PASSWORD, type TestApp } from "../support/test-app.ts";

let t: TestApp;
let ipSequence = 0;
// Each test speaks from its own address so the per-IP sign-in limit never interferes here.
const fromNewIp = () => ({ "cf-connecting-ip": `192.0.2.${++ipSequence}` });

beforeAll(async () => {
  t = await createTestApp();
});
afterAll(() => t.close());

describe("POST /api/auth/signup", () => {
  it("creates the user, the member subscription and its created history row together", async () => {
    const res = await t.request("POST", "/api/auth/signup", {
      json: { email: "  Ada@Example.com ", password: TEST_PASSWORD, display_name: " Ada " },
      headers: fromNewIp(),
    });
    expect(res.status).toBe(201);
    const body = await res.json();
    expect(body).toMatchObject({
      success: true,
      token: expect.any(String),
      user: {
        email: "Ada@Example.com",
        display_name: "Ada",
        is_admin: false,
        tier_slug: "member",
        tier_level: 1,
        subscription_status: "active",
        created_at: t.clock.now().toISOString(),
        last_login: null,
      },
    });

    const [user] = await t.db.select().from(users).where(eq(users.id, body.user.id));
    const subscriptions = await t.db.select().from(userSubscriptions).where(eq(userSubscriptions.userId, body.user.id));
    const history = await t.db.select().from(subscriptionHistory).where(eq(subscriptionHistory.userId, body.user.id));
    expect(subscriptions).toHaveLength(1);
    expect(subscriptions[0]).toMatchObject({ tierSlug: "member", status: "active", billingCycle: null });
    expect(user).toMatchObject({ subscriptionId: subscriptions[0]?.id, currentTierSlug: "member" });
    expect(user?.passwordHash).toMatch(/^pbkdf2_sha256\$100000\$[A-Za-z0-9+/=]+\$[A-Za-z0-9+/=]+$/);
    expect(history).toHaveLength(1);
    expect(history[0]).toMatchObject({ action: "created", toTierSlug: "member", subscriptionId: subscriptions[0]?.id });
  });

  it("refuses a second account for the same email in another case with 409 and writes nothing", async () => {
    await t.signup("grace@example.com");
    const before = await queryRows<{ n: number }>(t.db, sql`SELECT count(*)::int AS n FROM users`);
    const res = await t.request("POST", "/api/auth/signup", {
      json: { email: "GRACE@example.COM", password: TEST_PASSWORD, display_name: "Grace again" },
      headers: fromNewIp(),
    });
    expect(res.status).toBe(409);
    expect((await res.json()).error.code).toBe("email_taken");
    const after = await queryRows<{ n: number }>(t.db, sql`SELECT count(*)::int AS n FROM users`);
    expect(after[0]?.n).toBe(before[0]?.n);
  });

  it.each([
    ["a bad email", { email: "not-an-email", password: TEST_PASSWORD, display_name: "X" }],
    ["a short password", { email: "short@example.com", password: "1234567", display_name: "X" }],
    ["a long password", { email: "long@example.com", password: "x".repeat(129), display_name: "X" }],
    ["an empty display name", { email: "empty@example.com", password: TEST_PASSWORD, display_name: "   " }],
    ["a long display name", { email: "name@example.com", password: TEST_PASSWORD, display_name: "x".repeat(101) }],
  ])("answers 400 validation_error for %s", async (_, json) => {
    const res = await t.request("POST", "/api/auth/signup", { json, headers: fromNewIp() });
    expect(res.status).toBe(400);
    expect((await res.json()).error.code).toBe("validation_error");
    const rows = await t.db.select().from(users).where(eq(users.email, json.email));
    expect(rows).toHaveLength(0);
  });
});

describe("validation errors", () => {
  it("name the field and what is wrong, with details per field", async () => {
    const res = await t.request("POST", "/api/auth/signup", {
      json: { email: "not-an-email", password: "short", display_name: "X" },
      headers: fromNewIp(),
    });
    expect(res.status).toBe(400);
    expect(await res.json()).toEqual({
      success: false,
      error: {
        code: "validation_error",
        message: "email: Enter a valid email address.",
        details: [
          { path: "email", message: "Enter a valid email address." },
          { path: "password", message: "Passwords have at least 8 characters." },
        ],
      },
    });
  });

  it("never call valid JSON invalid: a wrong shape is validation_error, a broken body invalid_json", async () => {
    const wrongShape = await t.request("POST", "/api/auth/login", { json: [1, 2], headers: fromNewIp() });
    expect(wrongShape.status).toBe(400);
    const shapeError = (await wrongShape.json()).error;
    expect(shapeError.code).toBe("validation_error");
    expect(shapeError.message).not.toMatch(/json/i);

    const broken = await t.request("POST", "/api/auth/login", {
      body: '{"email": ',
      headers: { ...fromNewIp(), "Content-Type": "application/json" },
    });
    expect(broken.status).toBe(400);
    expect((await broken.json()).error.code).toBe("invalid_json");
  });
});

describe("POST /api/auth/login", () => {
  it("signs in, returns a token with the user and records last_login", async () => {
    const { user } = await t.signup("linus@example.com", { displayName: "Linus" });
    t.clock.advance({ hours: 2 });
    const res = await t.request("POST", "/api/auth/login", {
      json: { email: "LINUS@example.com", password: TEST_PASSWORD },
      headers: fromNewIp(),
    });
    expect(res.status).toBe(200);
    const body = await res.json();
    expect(body).toMatchObject({
      success: true,
      token: expect.any(String),
      user: { id: user.id, tier_slug: "member" },
    });
    expect(body.user.last_login).toBe(t.clock.now().toISOString());
    const [row] = await t.db.select().from(users).where(eq(users.id, user.id));
    expect(row?.lastLogin?.toISOString()).toBe(t.clock.now().toISOString());

    const profile = await t.request("GET", "/api/user/profile", { token: body.token });
    expect(profile.status).toBe(200);
  });

  it("answers a wrong password and an unknown email identically", async () => {
    await t.signup("margaret@example.com");
    const wrongPassword = await t.request("POST", "/api/auth/login", {
      json: { email: "margaret@example.com", password: "wrong password" },
      headers: fromNewIp(),
    });
    const unknownEmail = await t.request("POST", "/api/auth/login", {
      json: { email: "nobody@example.com", password: "wrong password" },
      headers: fromNewIp(),
    });
    expect(wrongPassword.status).toBe(401);
    expect(unknownEmail.status).toBe(401);
    const [a, b] = [await wrongPassword.json(), await unknownEmail.json()];
    expect(a).toEqual(b);
    expect(a.error.code).toBe("invalid_credentials");
    const [row] = await t.db.select().from(users).where(eq(users.email, "margaret@example.com"));
    expect(row?.lastLogin).toBeNull();
  });
});
