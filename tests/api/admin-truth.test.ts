import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { queryRows } from "../../db/client/types.ts";
import { expectRefusal, signupOnTier } from "../support/api-checks.ts";
import { createTestApp, type TestApp } from "../support/test-app.ts";

// Each test builds the state it asserts on in its own database, so none depends on another.
let t: TestApp;
let admin: string;

beforeAll(async () => {
  t = await createTestApp();
  admin = (await t.signup(undefined, { admin: true })).token;
});
afterAll(() => t.close());

const get = async (path: string) => {
  const res = await t.request("GET", `/api/admin${path}`, { token: admin });
  expect(res.status, await res.clone().text()).toBe(200);
  return res.json();
};

const assign = (userId: string, json: Record<string, unknown>) =>
  t.request("POST", `/api/admin/subscriptions/${userId}/assign-tier`, { token: admin, json });

describe("the admin subscriptions list and the stat cards count the same rows", () => {
  it("lists current subscriptions by default, replaced rows only with status_filter=all", async () => {
    await signupOnTier(t, "pro", "monthly"); // leaves an expired member row behind
    const { stats } = await get("/subscription-stats");
    const current = await get("/subscriptions?limit=100");
    expect(current.total).toBe(stats.total_subscriptions);
    expect(current.data.every((row: { status: string }) => row.status !== "expired")).toBe(true);

    const all = await get("/subscriptions?limit=100&status_filter=all");
    const [{ n }] = (await queryRows<{ n: number }>(t.db, sql`SELECT count(*)::int AS n FROM user_subscriptions`)) as [
      { n: number },
    ];
    expect(all.total).toBe(n);
    expect(all.total).toBeGreaterThan(current.total);
    const expired = await get("/subscriptions?limit=100&status_filter=expired");
    expect(expired.total).toBe(all.total - current.total);
  });

  it("answers a page past the end with the last page", async () => {
    for (let i = 0; i < 3; i += 1) await t.signup();
    const first = await get("/subscriptions?limit=2");
    const last = Math.ceil(first.total / 2);
    const beyond = await get(`/subscriptions?limit=2&page=${last + 5}`);
    expect(beyond.page).toBe(last);
    expect(beyond.data.length).toBeGreaterThan(0);
    expect(beyond).toEqual(await get(`/subscriptions?limit=2&page=${last}`));

    const users = await get("/users?limit=2&page=999999");
    expect(users.page).toBe(Math.ceil(users.total / 2));
    expect(users.data.length).toBeGreaterThan(0);
  });

  it("reports MRR: active paid subscriptions at their monthly price, annual ones at a twelfth", async () => {
    const before = (await get("/subscription-stats")).stats;
    await signupOnTier(t, "pro", "monthly"); // 999
    await signupOnTier(t, "business", "annual"); // 29990 / 12
    const cancelled = await signupOnTier(t, "elite", "monthly");
    await t.request("DELETE", "/api/user/subscription/cancel", { token: cancelled.token });
    const after = (await get("/subscription-stats")).stats;
    // The cancelled Elite still counts as a paid user until its period ends, but brings no revenue.
    expect(after.mrr_cents - before.mrr_cents).toBe(Math.round(999 + 29990 / 12));
    expect(after.paid_subscriptions - before.paid_subscriptions).toBe(3);
    expect(after.free_subscriptions).toBe(before.free_subscriptions);
    expect(after.paid_subscriptions + after.free_subscriptions).toBe(after.total_subscriptions);
  });
});

describe("an assignment that changes nothing", () => {
  it("is refused with 409 when the tier and the cycle are the ones the user has", async () => {
    const { user } = await signupOnTier(t, "pro", "annual");
    await expectRefusal(
      t,
      () => assign(user.id, { tier_slug: "pro", billing_cycle: "annual", reason: "again" }),
      409,
      "nothing_to_change",
    );
    const member = (await t.signup()).user;
    await expectRefusal(t, () => assign(member.id, { tier_slug: "member", reason: "again" }), 409, "nothing_to_change");
  });

  it("goes through when the cycle differs, or when it would clear a cancellation", async () => {
    const { user, token } = await signupOnTier(t, "pro", "annual");
    expect((await assign(user.id, { tier_slug: "pro", billing_cycle: "monthly", reason: "monthly now" })).status).toBe(
      200,
    );
    expect((await t.request("DELETE", "/api/user/subscription/cancel", { token })).status).toBe(200);
    const res = await assign(user.id, { tier_slug: "pro", billing_cycle: "monthly", reason: "keep them" });
    expect(res.status).toBe(200);
    expect((await res.json()).subscription.status).toBe("active");
  });
});

describe("a sixth tier added by SQL", () => {
  it("is listed, filterable, charted and counted as paid, with features {}", async () => {
    await t.db.execute(sql`INSERT INTO user_tiers (slug, name, description, tier_level, monthly_price_cents, annual_price_cents, features)
                           VALUES ('studio', 'Studio', 'For studios.', 6, 12900, 129000, '{}')`);
    const { user } = await t.signup();
    const before = (await get("/subscription-stats")).stats;
    expect((await assign(user.id, { tier_slug: "studio", billing_cycle: "annual", reason: "pilot" })).status).toBe(200);
    const after = (await get("/subscription-stats")).stats;
    expect(after.by_tier.studio).toBe(1);
    expect(after.paid_subscriptions).toBe(before.paid_subscriptions + 1);
    expect(after.mrr_cents - before.mrr_cents).toBe(Math.round(129000 / 12));
    const filtered = await get("/subscriptions?tier_filter=studio");
    expect(filtered.data.map((row: { user_id: string }) => row.user_id)).toEqual([user.id]);
    const { tiers } = await (await t.request("GET", "/api/tiers")).json();
    expect(tiers.find((tier: { slug: string }) => tier.slug === "studio")).toMatchObject({
      is_paid: true,
      features: {},
    });
  });
});
