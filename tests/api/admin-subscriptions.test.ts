import { randomUUID } from "node:crypto";
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { queryRows } from "../../db/client/types.ts";
import { CURRENT_STATUS_LIST } from "../../db/schema.ts";
import { expectRefusal, signupOnTier } from "../support/api-checks.ts";
import { currentState, historyOf } from "../support/subscription-state.ts";
import { createTestApp, type TestApp } from "../support/test-app.ts";

let t: TestApp;
let admin: { token: string; id: string; email: string };
let member: { token: string; id: string };

beforeAll(async () => {
  t = await createTestApp();
  const signedUp = await t.signup("root@example.com", { admin: true });
  admin = { token: signedUp.token, id: signedUp.user.id, email: signedUp.user.email };
  const m = await t.signup("plain@example.com");
  member = { token: m.token, id: m.user.id };
});
afterAll(() => t.close());
// The clock travels between tests and access tokens live 15 minutes: each test signs in afresh.
beforeEach(async () => {
  admin.token = await t.tokenFor(admin.id);
  member.token = await t.tokenFor(member.id);
});

const get = (path: string, token = admin.token) => t.request("GET", `/api/admin${path}`, { token });

describe("admin access", () => {
  const someone = randomUUID();
  const routes: [string, string, unknown?][] = [
    ["GET", "/subscriptions"],
    ["POST", `/subscriptions/${someone}/assign-tier`, { tier_slug: "pro", billing_cycle: "monthly", reason: "x" }],
    ["GET", "/subscription-stats"],
    ["GET", `/subscriptions/${someone}/history`],
    ["GET", "/users"],
    ["GET", `/users/${someone}`],
  ];

  it.each(routes)("refuses a member's token on %s %s with 403 and changes nothing", async (method, path, json) => {
    await expectRefusal(
      t,
      () => t.request(method, `/api/admin${path}`, { token: member.token, json }),
      403,
      "forbidden",
    );
  });

  it.each(routes)("refuses %s %s without a token with 401", async (method, path, json) => {
    await expectRefusal(t, () => t.request(method, `/api/admin${path}`, { json }), 401, "unauthorized");
  });

  it("refuses a member who assigns a tier to themselves", async () => {
    await expectRefusal(
      t,
      () =>
        t.request("POST", `/api/admin/subscriptions/${member.id}/assign-tier`, {
          token: member.token,
          json: { tier_slug: "elite", billing_cycle: "annual", reason: "Because" },
        }),
      403,
      "forbidden",
    );
  });
});

describe("GET /api/admin/subscriptions", () => {
  it("lists every subscription row, newest first, in the contract's shape", async () => {
    const { user } = await signupOnTier(t, "business", "annual");
    const res = await get("/subscriptions?limit=100&status_filter=all");
    expect(res.status).toBe(200);
    const body = await res.json();
    const [{ n }] = (await queryRows<{ n: number }>(t.db, sql`SELECT count(*)::int AS n FROM user_subscriptions`)) as [
      { n: number },
    ];
    expect(body).toMatchObject({ success: true, total: n, page: 1, limit: 100 });
    expect(body.data).toHaveLength(n);
    const { subscription } = await currentState(t.db, user.id);
    expect(body.data[0]).toEqual({
      id: subscription?.id,
      user_id: user.id,
      user_email: user.email,
      user_display_name: user.display_name,
      tier_slug: "business",
      tier_name: "Business",
      tier_level: 3,
      billing_cycle: "annual",
      status: "active",
      started_at: subscription?.startedAt.toISOString(),
      current_period_end: subscription?.currentPeriodEnd?.toISOString(),
      cancelled_at: null,
      ends_at: null,
      payment_provider: null,
      payment_provider_id: null,
      grace_until: null,
      seat_owner_display_name: null,
    });
    const created = body.data.map((row: { started_at: string }) => row.started_at);
    expect([...created].sort().reverse()).toEqual(created);
  });

  it("defaults to page 1 of 20 and pages without overlap", async () => {
    for (let i = 0; i < 3; i += 1) await signupOnTier(t, "pro", "monthly");
    const all = await (await get("/subscriptions?limit=100")).json();
    const first = await (await get("/subscriptions")).json();
    expect(first).toMatchObject({ page: 1, limit: 20, total: all.total });
    const second = await (await get("/subscriptions?page=2&limit=3")).json();
    expect(second).toMatchObject({ page: 2, limit: 3, total: all.total });
    expect(second.data.map((row: { id: string }) => row.id)).toEqual(
      all.data.slice(3, 6).map((row: { id: string }) => row.id),
    );
  });

  it("filters by tier and status", async () => {
    const { user } = await signupOnTier(t, "elite", "monthly");
    const res = await (await get("/subscriptions?tier_filter=elite&status_filter=active")).json();
    expect(res.data.length).toBeGreaterThan(0);
    expect(
      res.data.every(
        (row: { tier_slug: string; status: string }) => row.tier_slug === "elite" && row.status === "active",
      ),
    ).toBe(true);
    expect(res.data.some((row: { user_id: string }) => row.user_id === user.id)).toBe(true);
    const expired = await (await get("/subscriptions?status_filter=expired&limit=100")).json();
    expect(
      expired.data.some(
        (row: { user_id: string; tier_slug: string }) => row.user_id === user.id && row.tier_slug === "member",
      ),
    ).toBe(true);
    expect(expired.data.every((row: { status: string }) => row.status === "expired")).toBe(true);
    const [{ n }] = (await queryRows<{ n: number }>(
      t.db,
      sql`SELECT count(*)::int AS n FROM user_subscriptions WHERE status = 'expired'`,
    )) as [{ n: number }];
    expect(expired.total).toBe(n);
  });

  it.each([
    ["page=0", "page"],
    ["limit=10000", "limit"],
    ["limit=0", "limit"],
    ["page=abc", "page"],
    ["page=1.5", "page"],
    ["status_filter=paused", "status_filter"],
    ["tier_filter=Pro%20Tier", "tier_filter"],
    ["tier_filter=platinum", "tier_filter"],
  ])("answers 400 validation_error for %s", async (query, field) => {
    const body = await expectRefusal(t, () => get(`/subscriptions?${query}`), 400, "validation_error");
    expect(body.error.details).toEqual([expect.objectContaining({ path: field })]);
  });
});

describe("POST /api/admin/subscriptions/:user_id/assign-tier", () => {
  it("assigns Pro at once with the reason in the history as an admin action", async () => {
    const { token, user } = await t.signup();
    t.clock.advance({ minutes: 5 });
    const res = await t.request("POST", `/api/admin/subscriptions/${user.id}/assign-tier`, {
      token: admin.token,
      json: { tier_slug: "pro", billing_cycle: "monthly", reason: "Promotion for beta tester" },
    });
    expect(res.status).toBe(200);
    const body = await res.json();
    const { subscription, user: row } = await currentState(t.db, user.id);
    expect(body).toEqual({
      success: true,
      message: "Tier pro assigned to user",
      subscription: { id: subscription?.id, user_id: user.id, tier_slug: "pro", status: "active" },
    });
    expect(subscription).toMatchObject({
      tierSlug: "pro",
      billingCycle: "monthly",
      status: "active",
      startedAt: t.clock.now(),
    });
    expect(row?.currentTierSlug).toBe("pro");
    expect((await historyOf(t.db, user.id)).at(-1)).toMatchObject({
      action: "assigned",
      fromTierSlug: "member",
      toTierSlug: "pro",
      changedByUserId: admin.id,
      isAdminAction: true,
      reason: "Promotion for beta tester",
    });
    const own = await (await t.request("GET", "/api/user/subscription", { token })).json();
    expect(own.subscription.tier.slug).toBe("pro");
  });

  it("assigns the free tier without a billing cycle", async () => {
    const { user } = await signupOnTier(t, "pro", "annual");
    const res = await t.request("POST", `/api/admin/subscriptions/${user.id}/assign-tier`, {
      token: admin.token,
      json: { tier_slug: "member", reason: "Refunded" },
    });
    expect(res.status).toBe(200);
    expect((await currentState(t.db, user.id)).subscription).toMatchObject({
      tierSlug: "member",
      billingCycle: null,
      currentPeriodEnd: null,
    });
  });

  const assign = (userId: string, json: unknown) => () =>
    t.request("POST", `/api/admin/subscriptions/${userId}/assign-tier`, { token: admin.token, json });

  it("answers 404 for an unknown user or tier and changes nothing", async () => {
    await expectRefusal(
      t,
      assign(randomUUID(), { tier_slug: "pro", billing_cycle: "monthly", reason: "x" }),
      404,
      "user_not_found",
    );
    await expectRefusal(
      t,
      assign(member.id, { tier_slug: "platinum", billing_cycle: "monthly", reason: "x" }),
      404,
      "tier_not_found",
    );
  });

  it("answers 400 when a paid tier has no billing cycle", async () => {
    await expectRefusal(t, assign(member.id, { tier_slug: "pro", reason: "x" }), 400, "invalid_billing_cycle");
  });

  it.each([
    ["a user id that is not a uuid", "not-a-uuid", { tier_slug: "pro", billing_cycle: "monthly", reason: "x" }],
    ["a missing reason", null, { tier_slug: "pro", billing_cycle: "monthly" }],
    ["a blank reason", null, { tier_slug: "pro", billing_cycle: "monthly", reason: "   " }],
    ["a reason over 500 characters", null, { tier_slug: "pro", billing_cycle: "monthly", reason: "x".repeat(501) }],
    ["a bad billing cycle", null, { tier_slug: "pro", billing_cycle: "biweekly", reason: "x" }],
  ])("answers 400 validation_error for %s", async (_, userId, json) => {
    await expectRefusal(t, assign(userId ?? member.id, json), 400, "validation_error");
  });
});

describe("GET /api/admin/subscription-stats", () => {
  it("counts current subscriptions by tier and cycle and follows a change", async () => {
    const before = await (await get("/subscription-stats")).json();
    expect(before.success).toBe(true);
    const [counts] = await queryRows<{ total: number; active: number }>(
      t.db,
      sql`SELECT count(*)::int AS total, count(*) FILTER (WHERE status = 'active')::int AS active
          FROM user_subscriptions WHERE status IN (${sql.raw(CURRENT_STATUS_LIST)})`,
    );
    expect(before.stats).toMatchObject({ total_subscriptions: counts?.total, active_subscriptions: counts?.active });
    expect(Object.keys(before.stats.by_tier)).toEqual(
      expect.arrayContaining(["member", "pro", "business", "elite", "family"]),
    );
    const sum = (record: Record<string, number>) => Object.values(record).reduce((a, b) => a + b, 0);
    expect(sum(before.stats.by_tier)).toBe(counts?.total);

    await signupOnTier(t, "family", "annual");
    const after = (await (await get("/subscription-stats")).json()).stats;
    expect(after.total_subscriptions).toBe(before.stats.total_subscriptions + 1);
    expect(after.by_tier.family).toBe(before.stats.by_tier.family + 1);
    expect(after.by_tier.member).toBe(before.stats.by_tier.member);
    expect(after.by_billing_cycle).toEqual({
      monthly: before.stats.by_billing_cycle.monthly,
      annual: before.stats.by_billing_cycle.annual + 1,
    });
  });
});

describe("GET /api/admin/subscriptions/:user_id/history", () => {
  it("lists the user's changes newest first with who made them", async () => {
    const { user } = await signupOnTier(t, "pro", "monthly");
    const res = await t.request("POST", `/api/admin/subscriptions/${user.id}/assign-tier`, {
      token: admin.token,
      json: { tier_slug: "elite", billing_cycle: "annual", reason: "Beta tester reward" },
    });
    expect(res.status).toBe(200);
    const body = await (await get(`/subscriptions/${user.id}/history`)).json();
    expect(body.success).toBe(true);
    expect(body.history.map((row: { action: string }) => row.action)).toEqual(["assigned", "upgraded", "created"]);
    const rows = await historyOf(t.db, user.id);
    const assigned = rows.find((row) => row.action === "assigned");
    expect(body.history[0]).toEqual({
      id: assigned?.id,
      action: "assigned",
      from_tier_slug: "pro",
      to_tier_slug: "elite",
      changed_by_user_id: admin.id,
      changed_by_email: admin.email,
      is_admin_action: true,
      reason: "Beta tester reward",
      payment_provider: null,
      provider_subscription_id: null,
      created_at: t.clock.now().toISOString(),
    });
    expect(body.history[2]).toMatchObject({
      changed_by_user_id: user.id,
      changed_by_email: user.email,
      is_admin_action: false,
    });
  });

  it("answers 404 for an unknown user and 400 for a bad id", async () => {
    await expectRefusal(t, () => get(`/subscriptions/${randomUUID()}/history`), 404, "user_not_found");
    await expectRefusal(t, () => get("/subscriptions/12345/history"), 400, "validation_error");
  });
});
