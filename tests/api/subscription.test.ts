import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { expectRefusal, signupOnTier } from "../support/api-checks.ts";
import { currentState, historyOf, tierClaims } from "../support/subscription-state.ts";
import { createTestApp, type TestApp } from "../support/test-app.ts";

let t: TestApp;

beforeAll(async () => {
  t = await createTestApp();
});
afterAll(() => t.close());

const BASE = "/api/user/subscription";

describe("GET /api/user/subscription", () => {
  it("shows a new member's free subscription, every tier and the four upgrades", async () => {
    const { token, user } = await t.signup();
    const res = await t.request("GET", BASE, { token });
    expect(res.status).toBe(200);
    const body = await res.json();
    const { subscription } = await currentState(t.db, user.id);
    expect(body.subscription).toEqual({
      id: subscription?.id,
      tier: {
        slug: "member",
        name: "Member",
        level: 1,
        description: expect.any(String),
        monthly_price_cents: 0,
        annual_price_cents: 0,
        is_paid: false,
        features: expect.objectContaining({ seats: 1 }),
      },
      billing_cycle: null,
      status: "active",
      started_at: t.clock.now().toISOString(),
      current_period_start: t.clock.now().toISOString(),
      current_period_end: null,
      cancelled_at: null,
      ends_at: null,
      scheduled_tier_slug: null,
      payment_provider: null,
      grace_until: null,
      trial_ends_at: null,
      via: "own",
      seat_owner: null,
    });
    expect(body.available_tiers.map((tier: { slug: string }) => tier.slug)).toEqual([
      "member",
      "pro",
      "business",
      "elite",
      "family",
    ]);
    expect(body.available_tiers[1]).toEqual({
      slug: "pro",
      name: "Pro",
      description: expect.any(String),
      tier_level: 2,
      monthly_price_cents: 999,
      annual_price_cents: 9990,
      is_active: true,
      is_paid: true,
      features: expect.any(Object),
    });
    expect(body.available_upgrades.map((tier: { slug: string }) => tier.slug)).toEqual([
      "pro",
      "business",
      "elite",
      "family",
    ]);
    expect(body.can_upgrade).toBe(true);
  });

  it("offers nothing above Family on the annual cycle", async () => {
    const { token } = await t.signup();
    const up = await t.request("POST", `${BASE}/upgrade`, {
      token,
      json: { tier_slug: "family", billing_cycle: "annual" },
    });
    expect(up.status).toBe(200);
    const body = await (await t.request("GET", BASE, { token: (await up.json()).token })).json();
    expect(body.available_upgrades).toEqual([]);
    expect(body.can_upgrade).toBe(false);
    expect(body.subscription).toMatchObject({ billing_cycle: "annual", tier: { slug: "family", level: 5 } });
  });

  it.each([
    ["GET", ""],
    ["POST", "/upgrade"],
    ["POST", "/downgrade"],
    ["DELETE", "/downgrade"],
    ["DELETE", "/cancel"],
    ["POST", "/resume"],
  ])("answers 401 to %s %s without a token and changes nothing", async (method, path) => {
    const json = method === "GET" ? undefined : { tier_slug: "pro", billing_cycle: "monthly" };
    await expectRefusal(t, () => t.request(method, `${BASE}${path}`, { json }), 401, "unauthorized");
  });
});

describe("POST /api/user/subscription/upgrade", () => {
  it("moves a member to Pro at once, records the history and returns a token with the new tier", async () => {
    // A month end: the period ends on the last day of the shorter month, not on 3 March.
    t.clock.set("2030-01-31T08:30:00.000Z");
    const { user } = await t.signup();
    const before = await currentState(t.db, user.id);
    const now = t.clock.advance({ hours: 1 });
    const token = await t.tokenFor(user.id);
    const res = await t.request("POST", `${BASE}/upgrade`, {
      token,
      json: { tier_slug: "pro", billing_cycle: "monthly" },
    });
    expect(res.status).toBe(200);
    const body = await res.json();
    const after = await currentState(t.db, user.id);
    expect(body).toEqual({
      success: true,
      message: expect.stringContaining("Pro"),
      upgrade: {
        subscription_id: after.subscription?.id,
        old_tier: "member",
        new_tier: "pro",
        effective_immediately: true,
        next_billing: "2030-02-28T09:30:00.000Z",
      },
      token: expect.any(String),
    });
    expect(after.subscription).toMatchObject({
      tierSlug: "pro",
      status: "active",
      billingCycle: "monthly",
      startedAt: now,
    });
    expect(after.subscription?.id).not.toBe(before.subscription?.id);
    expect(after.user).toMatchObject({ currentTierSlug: "pro", subscriptionId: after.subscription?.id });
    const history = await historyOf(t.db, user.id);
    expect(history.map((row) => row.action)).toEqual(["created", "upgraded"]);
    expect(history[1]).toMatchObject({
      fromTierSlug: "member",
      toTierSlug: "pro",
      changedByUserId: user.id,
      isAdminAction: false,
    });

    expect(tierClaims(body.token)).toEqual({ tier_slug: "pro", tier_level: 2, subscription_status: "active" });
    expect(tierClaims(token)).toEqual({ tier_slug: "member", tier_level: 1, subscription_status: "active" });
  });

  it.each([
    ["2030-03-15T00:00:00.000Z", "monthly", "2030-04-15T00:00:00.000Z"],
    ["2030-05-31T23:59:59.000Z", "monthly", "2030-06-30T23:59:59.000Z"],
    ["2031-12-31T12:00:00.000Z", "monthly", "2032-01-31T12:00:00.000Z"],
    ["2032-01-31T12:00:00.000Z", "monthly", "2032-02-29T12:00:00.000Z"],
    ["2032-02-29T08:00:00.000Z", "annual", "2033-02-28T08:00:00.000Z"],
  ])("bills an upgrade at %s (%s) next on %s", async (at, cycle, next) => {
    t.clock.set(at);
    const { token } = await t.signup();
    const res = await t.request("POST", `${BASE}/upgrade`, { token, json: { tier_slug: "pro", billing_cycle: cycle } });
    expect(res.status).toBe(200);
    expect((await res.json()).upgrade.next_billing).toBe(next);
  });

  it("allows Pro monthly to Pro annual", async () => {
    const { token, user } = await signupOnTier(t, "pro");
    const res = await t.request("POST", `${BASE}/upgrade`, {
      token,
      json: { tier_slug: "pro", billing_cycle: "annual" },
    });
    expect(res.status).toBe(200);
    expect((await currentState(t.db, user.id)).subscription).toMatchObject({ tierSlug: "pro", billingCycle: "annual" });
  });

  it.each([
    ["the current tier and cycle", "pro", "monthly", 409, "not_an_upgrade"],
    ["a lower tier", "member", "monthly", 409, "not_an_upgrade"],
    ["an unknown tier", "platinum", "monthly", 404, "tier_not_found"],
  ])("refuses %s and changes nothing", async (_, tier_slug, billing_cycle, status, code) => {
    const { token } = await signupOnTier(t, "pro");
    await expectRefusal(
      t,
      () => t.request("POST", `${BASE}/upgrade`, { token, json: { tier_slug, billing_cycle } }),
      status,
      code,
    );
  });

  it.each([
    ["a bad billing_cycle", { tier_slug: "pro", billing_cycle: "weekly" }],
    ["a missing billing_cycle", { tier_slug: "pro" }],
    ["a missing tier_slug", { billing_cycle: "monthly" }],
    ["a tier_slug that is not a slug", { tier_slug: "Pro Tier; DROP", billing_cycle: "monthly" }],
    ["an unknown field", { tier_slug: "pro", billing_cycle: "monthly", price: 0 }],
    ["a non-object body", ["pro"]],
  ])("answers 400 validation_error for %s", async (_, json) => {
    const { token } = await t.signup();
    const body = await expectRefusal(
      t,
      () => t.request("POST", `${BASE}/upgrade`, { token, json }),
      400,
      "validation_error",
    );
    expect((body.error as { details: unknown[] }).details.length).toBeGreaterThan(0);
  });

  it("answers 400 invalid_json for malformed JSON", async () => {
    const { token } = await t.signup();
    await expectRefusal(
      t,
      () =>
        t.request("POST", `${BASE}/upgrade`, {
          token,
          body: "{tier_slug:",
          headers: { "Content-Type": "application/json" },
        }),
      400,
      "invalid_json",
    );
  });
});
