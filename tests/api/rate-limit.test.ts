import { eq, like } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createApp } from "../../api/app.ts";
import { authSessions, rateLimits, users } from "../../db/schema.ts";
import { createTestApp, TEST_PASSWORD, type TestApp } from "../support/test-app.ts";

let t: TestApp;

beforeAll(async () => {
  t = await createTestApp();
  await t.signup("limited@example.com");
  await t.signup("ceiling@example.com");
  await t.signup("shared@example.com");
});
afterAll(() => t.close());

const login = (
  ip: string,
  email = "limited@example.com",
  password = TEST_PASSWORD,
  app?: ReturnType<typeof createApp>,
) => {
  const init = { json: { email, password }, headers: { "cf-connecting-ip": ip } };
  if (!app) return t.request("POST", "/api/auth/login", init);
  return app.request("/api/auth/login", {
    method: "POST",
    headers: { "Content-Type": "application/json", ...init.headers },
    body: JSON.stringify(init.json),
  });
};

const hits = async (key: string) => (await t.db.select().from(rateLimits).where(eq(rateLimits.key, key)))[0]?.hits ?? 0;

const lastLogin = async (email: string) =>
  (await t.db.select().from(users).where(eq(users.email, email)))[0]?.lastLogin ?? null;

describe("sign-in rate limits", () => {
  it("refuses the 31st login from one address within a minute whatever the emails, then lets it through the next minute", async () => {
    t.clock.set("2025-02-01T09:00:10.000Z");
    for (let i = 0; i < 30; i += 1) {
      expect((await login("198.51.100.1", `someone${i}@example.com`, "wrong")).status).toBe(401);
    }
    const refused = await login("198.51.100.1");
    expect(refused.status).toBe(429);
    expect(refused.headers.get("Retry-After")).toBe("50");
    expect(await refused.json()).toMatchObject({ success: false, error: { code: "rate_limited" } });

    expect((await login("198.51.100.2")).status).toBe(200);

    t.clock.advance({ minutes: 1 });
    expect((await login("198.51.100.1")).status).toBe(200);
  });

  it("wrong passwords for an email from one address do not lock its owner out at another", async () => {
    t.clock.set("2025-02-01T10:00:00.000Z");
    for (let i = 0; i < 10; i += 1)
      expect((await login("203.0.113.66", "limited@example.com", "wrong")).status).toBe(401);
    const refused = await login("203.0.113.66", "LIMITED@example.com");
    expect(refused.status).toBe(429);
    expect(refused.headers.get("Retry-After")).toBe("60");
    expect(await lastLogin("limited@example.com")).not.toEqual(t.clock.now());

    const owner = await login("192.0.2.10", "limited@example.com");
    expect(owner.status).toBe(200);
    expect(await lastLogin("limited@example.com")).toEqual(t.clock.now());
  });

  it("stops a distributed guess at 100 attempts an hour on one email, with Retry-After until the hour ends", async () => {
    t.clock.set("2025-02-01T11:00:00.000Z");
    for (let i = 0; i < 100; i += 1) {
      if (i % 10 === 0) t.clock.advance({ minutes: 1 });
      expect((await login(`10.9.${Math.floor(i / 250)}.${i % 250}`, "ceiling@example.com", "wrong")).status).toBe(401);
    }
    const refused = await login("192.0.2.99", "ceiling@example.com");
    expect(refused.status).toBe(429);
    expect(refused.headers.get("Retry-After")).toBe(String(50 * 60));
    expect(await lastLogin("ceiling@example.com")).toBeNull();
    const [counter] = await t.db.select().from(rateLimits).where(eq(rateLimits.key, "login:email:ceiling@example.com"));
    expect(counter?.hits).toBe(101);

    t.clock.set("2025-02-01T12:00:00.000Z");
    expect((await login("192.0.2.99", "ceiling@example.com")).status).toBe(200);
  });

  it("shares one count between app instances (Worker isolates) through the database", async () => {
    t.clock.set("2025-02-01T13:00:00.000Z");
    const other = createApp(t.deps);
    for (let i = 0; i < 15; i += 1) {
      expect((await login("198.51.100.9", `a${i}@example.com`, "wrong")).status).toBe(401);
      expect((await login("198.51.100.9", `b${i}@example.com`, "wrong", other)).status).toBe(401);
    }
    expect((await login("198.51.100.9", "shared@example.com", TEST_PASSWORD, other)).status).toBe(429);
  });

  it("limits sign-ups to 10 an hour per address and creates no user when refusing", async () => {
    t.clock.set("2025-02-01T14:00:00.000Z");
    const signup = (n: number) =>
      t.request("POST", "/api/auth/signup", {
        json: { email: `burst${n}@example.com`, password: TEST_PASSWORD, display_name: "Burst" },
        headers: { "cf-connecting-ip": "198.51.100.200" },
      });
    for (let i = 0; i < 10; i += 1) {
      expect((await signup(i)).status).toBe(201);
      t.clock.advance({ minutes: 5 });
    }
    const refused = await signup(10);
    expect(refused.status).toBe(429);
    expect(refused.headers.get("Retry-After")).toBe(String(10 * 60));
    expect(await t.db.select().from(users).where(eq(users.email, "burst10@example.com"))).toHaveLength(0);
    expect(await t.db.select().from(users).where(like(users.email, "burst%"))).toHaveLength(10);

    t.clock.set("2025-02-01T15:00:00.000Z");
    expect((await signup(10)).status).toBe(201);
  });

  it("counts a sign-up refused for its email, and one refused by the limit, so neither can be retried for free", async () => {
    t.clock.set("2025-02-01T16:00:00.000Z");
    const signup = (ip: string, email: string) =>
      t.request("POST", "/api/auth/signup", {
        json: { email, password: TEST_PASSWORD, display_name: "Again" },
        headers: { "cf-connecting-ip": ip },
      });
    expect((await signup("198.51.100.210", "shared@example.com")).status).toBe(409);
    expect(await hits("signup:ip:198.51.100.210")).toBe(1);
    expect(await hits("signup:email:shared@example.com")).toBe(1);
    for (let i = 0; i < 9; i += 1)
      expect((await signup(`198.51.100.${220 + i}`, "SHARED@example.com")).status).toBe(409);
    const refused = await signup("198.51.100.240", "shared@example.com");
    expect(refused.status).toBe(429);
    // The refusal itself is counted: the window's count went on to 11.
    expect(await hits("signup:email:shared@example.com")).toBe(11);
    expect(await hits("signup:ip:198.51.100.240")).toBe(1);
  });

  it("stops counting at the first limit reached: a login refused for its address counts against no email", async () => {
    t.clock.set("2025-02-01T17:00:10.000Z");
    for (let i = 0; i < 30; i += 1)
      expect((await login("198.51.100.30", `x${i}@example.com`, "wrong")).status).toBe(401);
    expect((await login("198.51.100.30", "probe@example.com")).status).toBe(429);
    expect(await hits("login:ip:198.51.100.30")).toBe(31);
    expect(await hits("login:email:probe@example.com")).toBe(0);
    expect(await hits("login:email-ip:probe@example.com:198.51.100.30")).toBe(0);
  });

  it("opens no session for a login refused by a limit, even with the right password", async () => {
    t.clock.set("2025-02-01T18:00:00.000Z");
    const sessions = async () =>
      (await t.db.select().from(authSessions).innerJoin(users, eq(users.id, authSessions.userId))).filter(
        (row) => row.users.email === "limited@example.com",
      ).length;
    for (let i = 0; i < 10; i += 1)
      expect((await login("203.0.113.90", "limited@example.com", "wrong")).status).toBe(401);
    const before = await sessions();
    const refused = await login("203.0.113.90");
    expect(refused.status).toBe(429);
    expect(await sessions()).toBe(before);
    expect(await lastLogin("limited@example.com")).not.toEqual(t.clock.now());
  });

  it("counts malformed attempts per address too, and answers one over the limit with 429 rather than 400", async () => {
    t.clock.set("2025-02-01T19:00:10.000Z");
    const malformed = (ip: string, path: string) =>
      t.request("POST", path, { json: { email: "not an email" }, headers: { "cf-connecting-ip": ip } });
    for (let i = 0; i < 30; i += 1) expect((await malformed("198.51.100.40", "/api/auth/login")).status).toBe(400);
    expect(await hits("login:ip:198.51.100.40")).toBe(30);
    expect((await malformed("198.51.100.40", "/api/auth/login")).status).toBe(429);
    expect((await login("198.51.100.40")).status).toBe(429);

    for (let i = 0; i < 10; i += 1) expect((await malformed("198.51.100.41", "/api/auth/signup")).status).toBe(400);
    const refused = await t.request("POST", "/api/auth/signup", {
      json: { email: "fresh-after-garbage@example.com", password: TEST_PASSWORD, display_name: "Fresh" },
      headers: { "cf-connecting-ip": "198.51.100.41" },
    });
    expect(refused.status).toBe(429);
    expect(await hits("signup:ip:198.51.100.41")).toBe(11);
  });
});
