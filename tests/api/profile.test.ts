import { eq } from "drizzle-orm";
import { decodeJwt } from "jose";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { users } from "../../db/schema.ts";
import { createTestApp, type TestApp } from "../support/test-app.ts";

let t: TestApp;

beforeAll(async () => {
  t = await createTestApp();
});
afterAll(() => t.close());

const rowOf = async (id: string) => (await t.db.select().from(users).where(eq(users.id, id)))[0];

describe("GET /api/user/profile", () => {
  it("returns the user with the current tier", async () => {
    const { token, user } = await t.signup("profile-get@example.com", { displayName: "Pat" });
    const res = await t.request("GET", "/api/user/profile", { token });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({
      success: true,
      user: {
        id: user.id,
        email: "profile-get@example.com",
        display_name: "Pat",
        is_admin: false,
        bio: null,
        location: null,
        job_title: null,
        tier_slug: "member",
        tier_level: 1,
        subscription_status: "active",
        created_at: t.clock.now().toISOString(),
        last_login: null,
      },
    });
  });
});

describe("PATCH /api/user/profile", () => {
  it("updates trimmed fields and returns a fresh token carrying the new display name", async () => {
    const { token, user } = await t.signup("profile-patch@example.com", { displayName: "Old" });
    t.clock.advance({ minutes: 5 });
    const res = await t.request("PATCH", "/api/user/profile", {
      token,
      json: { display_name: "  New Name ", bio: " Builds things. ", location: "Oslo", job_title: "Engineer" },
    });
    expect(res.status).toBe(200);
    const body = await res.json();
    expect(body.user).toMatchObject({
      display_name: "New Name",
      bio: "Builds things.",
      location: "Oslo",
      job_title: "Engineer",
    });
    expect(body.token).not.toBe(token);
    expect(decodeJwt(body.token)).toMatchObject({ display_name: "New Name", tier_slug: "member" });
    const row = await rowOf(user.id);
    expect(row).toMatchObject({
      displayName: "New Name",
      bio: "Builds things.",
      location: "Oslo",
      jobTitle: "Engineer",
    });
    expect(row?.updatedAt.toISOString()).toBe(t.clock.now().toISOString());
  });

  it("clears optional fields with null and leaves the others alone", async () => {
    const { token, user } = await t.signup("profile-clear@example.com", { displayName: "Kim" });
    await t.request("PATCH", "/api/user/profile", { token, json: { bio: "Hi", location: "Rome" } });
    const res = await t.request("PATCH", "/api/user/profile", { token, json: { bio: null } });
    expect(res.status).toBe(200);
    expect(await rowOf(user.id)).toMatchObject({ displayName: "Kim", bio: null, location: "Rome" });
  });

  it.each([
    ["an empty object", {}],
    ["an empty display name", { display_name: "  " }],
    ["a display name over 100 characters", { display_name: "x".repeat(101) }],
    ["a bio over 500 characters", { bio: "x".repeat(501) }],
    ["a null display name", { display_name: null }],
    ["a field that cannot be changed here", { email: "evil@example.com" }],
    ["a wrong type", { location: 42 }],
    ["a NUL byte, which PostgreSQL text cannot store", { bio: "a\u0000b" }],
    ["a lone surrogate, which UTF-8 cannot carry", { location: "\ud800" }],
  ])("refuses %s with 400 and leaves the row unchanged", async (_, json) => {
    const { token, user } = await t.signup(undefined, { displayName: "Steady" });
    const before = await rowOf(user.id);
    const res = await t.request("PATCH", "/api/user/profile", { token, json });
    expect(res.status).toBe(400);
    expect((await res.json()).error.code).toBe("validation_error");
    expect(await rowOf(user.id)).toEqual(before);
  });

  it("needs a token", async () => {
    const res = await t.request("PATCH", "/api/user/profile", { json: { display_name: "X" } });
    expect(res.status).toBe(401);
  });
});
