import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createApp } from "../../api/app.ts";
import { users } from "../../db/schema.ts";
import { TEST_PASSWORD, type TestApp, createTestApp } from "../support/test-app.ts";

let t: TestApp;

beforeAll(async () => {
  t = await createTestApp();
});
afterAll(() => t.close());

/** Each test signs in as its own account, so no count carries over from another test. */
const account = async (name: string) => (await t.signup(`${name}@example.com`)).user.email;

const login = (ip: string, email: string, password = TEST_PASSWORD, app?: ReturnType<typeof createApp>) => {
  const init = { json: { email, password }, headers: { "cf-connecting-ip": ip } };
  if (!app) return t.request("POST", "/api/auth/login", init);
  return app.request("/api/auth/login", {
    method: "POST",
    headers: { "Content-Type": "application/json", ...init.headers },
    body: JSON.stringify(init.json),
  });
};

describe("sign-in rate limits", () => {
  it("refuses the 11th login from one IP within a minute, then lets it through in the next minute", async () => {
    t.clock.set("2025-02-01T09:00:10.000Z");
    const email = await account("per-ip");
    for (let i = 0; i < 10; i += 1) {
      expect((await login("198.51.100.1", `someone${i}@example.com`, "wrong")).status).toBe(401);
    }
    const refused = await login("198.51.100.1", email);
    expect(refused.status).toBe(429);
    expect(refused.headers.get("Retry-After")).toBe("50");
    expect(await refused.json()).toMatchObject({ success: false, error: { code: "rate_limited" } });

    expect((await login("198.51.100.2", email)).status).toBe(200);

    t.clock.advance({ minutes: 1 });
    expect((await login("198.51.100.1", email)).status).toBe(200);
  });

  it("limits attempts on one email across IPs separately", async () => {
    t.clock.set("2025-02-01T10:00:00.000Z");
    const email = await account("per-email");
    for (let i = 0; i < 10; i += 1) {
      expect((await login(`203.0.113.${i}`, email, "wrong")).status).toBe(401);
    }
    const refused = await login("203.0.113.99", email.toUpperCase());
    expect(refused.status).toBe(429);
    expect(refused.headers.get("Retry-After")).toBe("60");
  });

  it("uses the first X-Forwarded-For hop when Cloudflare gives no address", async () => {
    t.clock.set("2025-02-01T11:00:00.000Z");
    const viaProxy = (n: number) =>
      t.request("POST", "/api/auth/login", {
        json: { email: `proxy${n}@example.com`, password: "wrong" },
        headers: { "X-Forwarded-For": `198.51.100.77, 10.0.0.${n}` },
      });
    for (let i = 0; i < 10; i += 1) expect((await viaProxy(i)).status).toBe(401);
    expect((await viaProxy(10)).status).toBe(429);
  });

  it("shares one count between app instances (Worker isolates) through the database", async () => {
    t.clock.set("2025-02-01T12:00:00.000Z");
    const email = await account("shared-count");
    const other = createApp(t.deps);
    for (let i = 0; i < 5; i += 1) {
      expect((await login("198.51.100.9", `a${i}@example.com`, "wrong")).status).toBe(401);
      expect((await login("198.51.100.9", `b${i}@example.com`, "wrong", other)).status).toBe(401);
    }
    expect((await login("198.51.100.9", email, TEST_PASSWORD, other)).status).toBe(429);
  });

  it("limits signups per IP and creates no user when refusing", async () => {
    t.clock.set("2025-02-01T13:00:00.000Z");
    const signup = (n: number) =>
      t.request("POST", "/api/auth/signup", {
        json: { email: `burst${n}@example.com`, password: TEST_PASSWORD, display_name: "Burst" },
        headers: { "cf-connecting-ip": "198.51.100.200" },
      });
    for (let i = 0; i < 10; i += 1) expect((await signup(i)).status).toBe(201);
    expect((await signup(10)).status).toBe(429);
    expect(await t.db.select().from(users).where(eq(users.email, "burst10@example.com"))).toHaveLength(0);
  });
});
