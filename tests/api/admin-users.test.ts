import { randomUUID } from "node:crypto";
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { queryRows } from "../../db/client/types.ts";
import { expectRefusal, signupOnTier } from "../support/api-checks.ts";
import { currentState } from "../support/subscription-state.ts";
import { createTestApp, type TestApp } from "../support/test-app.ts";

let t: TestApp;
let adminToken: string;

beforeAll(async () => {
  t = await createTestApp();
  adminToken = (await t.signup("boss@example.com", { admin: true })).token;
});
afterAll(() => t.close());

const get = (path: string) => t.request("GET", `/api/admin${path}`, { token: adminToken });

describe("GET /api/admin/users", () => {
  it("lists users newest first with their current tier", async () => {
    t.clock.advance({ minutes: 1 });
    const { token, user } = await t.signup("Zed.Upper@Example.com", { displayName: "Zed" });
    t.clock.advance({ minutes: 1 });
    const up = await t.request("POST", "/api/user/subscription/upgrade", {
      token,
      json: { tier_slug: "business", billing_cycle: "monthly" },
    });
    expect(up.status).toBe(200);
    const body = await (await get("/users")).json();
    const [counted] = await queryRows<{ n: number }>(t.db, sql`SELECT count(*)::int AS n FROM users`);
    expect(body).toMatchObject({ success: true, total: counted?.n, page: 1, limit: 20 });
    const { subscription } = await currentState(t.db, user.id);
    expect(body.data[0]).toEqual({
      id: user.id,
      email: "Zed.Upper@Example.com",
      display_name: "Zed",
      is_admin: false,
      tier_slug: "business",
      tier_name: "Business",
      tier_level: 3,
      subscription_status: "active",
      billing_cycle: "monthly",
      current_period_end: subscription?.currentPeriodEnd?.toISOString(),
      created_at: user.created_at,
      last_login: null,
      seat_owner_id: null,
      seat_owner_display_name: null,
    });
  });

  it("filters by a case-insensitive email substring, treating % and _ literally", async () => {
    await t.signup("needle_one@example.com");
    await t.signup("needleXone@example.com");
    const found = await (await get("/users?q=NEEDLE_")).json();
    expect(found.data.map((row: { email: string }) => row.email)).toEqual(["needle_one@example.com"]);
    expect(found.total).toBe(1);
    const none = await (await get("/users?q=%25")).json();
    expect(none).toMatchObject({ data: [], total: 0 });
    const everyone = await (await get("/users?q=")).json();
    const [counted] = await queryRows<{ n: number }>(t.db, sql`SELECT count(*)::int AS n FROM users`);
    expect(everyone.total).toBe(counted?.n);
  });

  it("filters by tier and pages", async () => {
    const { user } = await signupOnTier(t, "business");
    for (let i = 0; i < 4; i += 1) await t.signup();
    const business = await (await get("/users?tier=business")).json();
    expect(business.data.map((row: { id: string }) => row.id)).toContain(user.id);
    expect(business.data.every((row: { tier_slug: string }) => row.tier_slug === "business")).toBe(true);
    const all = await (await get("/users?limit=100")).json();
    const second = await (await get("/users?page=2&limit=2")).json();
    expect(second.data.map((row: { id: string }) => row.id)).toEqual(
      all.data.slice(2, 4).map((row: { id: string }) => row.id),
    );
  });

  it.each([
    ["page=0", "page"],
    ["limit=10000", "limit"],
    ["tier=platinum", "tier"],
    ["tier=", "tier"],
    [`q=${"a".repeat(255)}`, "q"],
    ["q=a%00b", "q"],
  ])("answers 400 validation_error for %s", async (query, field) => {
    const body = await expectRefusal(t, () => get(`/users?${query}`), 400, "validation_error");
    expect(body.error.details).toEqual([expect.objectContaining({ path: field })]);
  });
});

describe("GET /api/admin/users/:user_id", () => {
  it("shows the user with profile fields and the current subscription", async () => {
    const { token, user } = await t.signup("detail@example.com");
    await t.request("PATCH", "/api/user/profile", { token, json: { bio: "Hello", job_title: "Tester" } });
    const body = await (await get(`/users/${user.id}`)).json();
    const { subscription } = await currentState(t.db, user.id);
    expect(body).toMatchObject({
      success: true,
      user: {
        id: user.id,
        email: "detail@example.com",
        tier_slug: "member",
        tier_level: 1,
        subscription_status: "active",
        billing_cycle: null,
        bio: "Hello",
        location: null,
        job_title: "Tester",
      },
      subscription: { id: subscription?.id, tier: { slug: "member", level: 1 }, status: "active" },
    });
  });

  it("answers 404 for an unknown user and 400 for a bad id", async () => {
    await expectRefusal(t, () => get(`/users/${randomUUID()}`), 404, "user_not_found");
    await expectRefusal(t, () => get("/users/not-a-uuid"), 400, "validation_error");
  });
});
