import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { users } from "../../db/schema.ts";
import { createTestApp, type TestApp } from "../support/test-app.ts";

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(() => t.close());

// Raw JSON text, so the escapes reach the API exactly as a client sent them.
const signup = (email: string, passwordJson: string) =>
  t.request("POST", "/api/auth/signup", {
    body: `{"email":"${email}","password":"${passwordJson}","display_name":"Uni"}`,
    headers: { "Content-Type": "application/json", "cf-connecting-ip": "192.0.2.77" },
  });

describe("passwords that are not well-formed Unicode", () => {
  it.each([
    ["an unpaired high surrogate", "lone-high@example.com", "correct-horse\\ud800"],
    ["an unpaired low surrogate", "lone-low@example.com", "\\udc00correct-horse"],
    ["surrogates in the wrong order", "reversed@example.com", "correct-horse\\udc00\\ud800"],
  ])("refuses %s at sign-up with 400 validation_error and creates no account", async (_name, email, password) => {
    const res = await signup(email, password);
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({
      success: false,
      error: { code: "validation_error", details: [{ path: "password", message: "Must be valid Unicode text." }] },
    });
    expect(await t.db.select().from(users).where(eq(users.email, email))).toHaveLength(0);
  });

  it("accepts a paired surrogate (an emoji) and signs in with exactly that password", async () => {
    expect((await signup("emoji@example.com", "correct-horse-\\ud83d\\udc0e")).status).toBe(201);
    expect(await t.db.select().from(users).where(eq(users.email, "emoji@example.com"))).toHaveLength(1);
    const login = (password: string) =>
      t.request("POST", "/api/auth/login", {
        body: `{"email":"emoji@example.com","password":"${password}"}`,
        headers: { "Content-Type": "application/json", "cf-connecting-ip": "192.0.2.78" },
      });
    expect((await login("correct-horse-\\ud83d\\udc0e")).status).toBe(200);
    // The collapsed form (U+FFFD) of a lone surrogate never matches, it is refused outright.
    expect((await login("correct-horse-\\ud83d")).status).toBe(400);
  });
});
