// The design doc's five integration scenarios, end to end through the HTTP API (and the due-job
// service where the doc says "requires cron job").
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { processDue } from "../../api/services/subscriptions/index.ts";
import { currentState, historyOf, tierClaims } from "../support/subscription-state.ts";
import { createTestApp, TEST_PASSWORD, type TestApp } from "../support/test-app.ts";

let t: TestApp;
let adminId: string;
let ip = 0;

beforeAll(async () => {
  t = await createTestApp({ start: "2025-10-01T09:00:00.000Z" });
  const admin = await t.signup("admin@example.com", { admin: true });
  adminId = admin.user.id;
});
afterAll(() => t.close());

/** A token signed now: scenarios move the clock by months, past any earlier token's expiry. */
const adminToken = () => t.makeAdmin(adminId);

async function login(email: string): Promise<string> {
  const res = await t.request("POST", "/api/auth/login", {
    json: { email, password: TEST_PASSWORD },
    headers: { "cf-connecting-ip": `198.51.100.${++ip}` },
  });
  expect(res.status).toBe(200);
  return (await res.json()).token;
}

async function subscriptionOf(token: string) {
  const res = await t.request("GET", "/api/user/subscription", { token });
  expect(res.status).toBe(200);
  return (await res.json()).subscription;
}

const runCron = () => processDue(t.db, { now: t.clock.now() });

describe("integration scenarios", () => {
  it("1. a new user signs up on a Member subscription, with tier claims and a created history row", async () => {
    const { token, user } = await t.signup("new@example.com");
    const { subscription, user: row } = await currentState(t.db, user.id);
    expect(subscription).toMatchObject({ tierSlug: "member", status: "active", billingCycle: null });
    expect(row).toMatchObject({ subscriptionId: subscription?.id, currentTierSlug: "member" });
    expect(tierClaims(token)).toEqual({ tier_slug: "member", tier_level: 1, subscription_status: "active" });
    const history = await historyOf(t.db, user.id);
    expect(history).toHaveLength(1);
    expect(history[0]).toMatchObject({ action: "created", toTierSlug: "member", subscriptionId: subscription?.id });
  });

  it("2. an admin assigns Pro: tier updated, active, history logged as an admin action with the reason", async () => {
    const { user } = await t.signup("beta@example.com");
    t.clock.advance({ hours: 1 });
    // An hour later both hold fresh access tokens (they live 15 minutes).
    const token = await t.tokenFor(user.id);
    const res = await t.request("POST", `/api/admin/subscriptions/${user.id}/assign-tier`, {
      token: await adminToken(),
      json: { tier_slug: "pro", billing_cycle: "monthly", reason: "Promotion for beta tester" },
    });
    expect(res.status).toBe(200);
    expect((await res.json()).message).toBe("Tier pro assigned to user");

    expect(await subscriptionOf(token)).toMatchObject({
      tier: { slug: "pro" },
      status: "active",
      billing_cycle: "monthly",
    });
    expect(tierClaims(await login("beta@example.com"))).toEqual({
      tier_slug: "pro",
      tier_level: 2,
      subscription_status: "active",
    });
    const history = await (
      await t.request("GET", `/api/admin/subscriptions/${user.id}/history`, { token: await adminToken() })
    ).json();
    expect(history.history[0]).toMatchObject({
      action: "assigned",
      from_tier_slug: "member",
      to_tier_slug: "pro",
      changed_by_user_id: adminId,
      changed_by_email: "admin@example.com",
      is_admin_action: true,
      reason: "Promotion for beta tester",
    });
  });

  it("3. a user upgrades to Pro: active immediately and logged", async () => {
    const { user } = await t.signup("upgrader@example.com");
    t.clock.advance({ hours: 1 });
    const res = await t.request("POST", "/api/user/subscription/upgrade", {
      token: await t.tokenFor(user.id),
      json: { tier_slug: "pro", billing_cycle: "monthly" },
    });
    expect(res.status).toBe(200);
    const body = await res.json();
    expect(body.upgrade).toMatchObject({ old_tier: "member", new_tier: "pro", effective_immediately: true });
    expect(tierClaims(body.token).tier_slug).toBe("pro");
    expect(await subscriptionOf(body.token)).toMatchObject({
      tier: { slug: "pro" },
      status: "active",
      started_at: t.clock.now().toISOString(),
    });
    expect((await historyOf(t.db, user.id)).at(-1)).toMatchObject({
      action: "upgraded",
      fromTierSlug: "member",
      toTierSlug: "pro",
    });
  });

  it("4. Pro -> Member downgrade: ends at the period end, Pro until then, Member after the cron", async () => {
    const { token } = await t.signup("downgrader@example.com");
    const upgrade = await (
      await t.request("POST", "/api/user/subscription/upgrade", {
        token,
        json: { tier_slug: "pro", billing_cycle: "monthly" },
      })
    ).json();
    const periodEnd: string = upgrade.upgrade.next_billing;
    t.clock.advance({ days: 10 });

    // Tokens live 7 days, so each step after a jump in time signs in again.
    const res = await t.request("POST", "/api/user/subscription/downgrade", {
      token: await login("downgrader@example.com"),
      json: { tier_slug: "member" },
    });
    expect(res.status).toBe(200);
    const body = await res.json();
    expect(body.downgrade).toMatchObject({
      effective_date: periodEnd,
      remains_active_until: periodEnd,
      new_tier: "member",
    });
    expect(await subscriptionOf(body.token)).toMatchObject({
      tier: { slug: "pro" },
      ends_at: periodEnd,
      scheduled_tier_slug: "member",
    });

    t.clock.set(new Date(new Date(periodEnd).getTime() - 1000));
    expect((await runCron()).downgraded).toBe(0);
    const lastProToken = await login("downgrader@example.com");
    expect(tierClaims(lastProToken).tier_slug).toBe("pro");
    expect(await subscriptionOf(lastProToken)).toMatchObject({ tier: { slug: "pro" }, status: "active" });

    t.clock.set(new Date(new Date(periodEnd).getTime() + 60_000));
    expect((await runCron()).downgraded).toBe(1);
    const memberToken = await login("downgrader@example.com");
    expect(await subscriptionOf(memberToken)).toMatchObject({
      tier: { slug: "member" },
      status: "active",
      started_at: periodEnd,
    });
    expect(tierClaims(memberToken)).toEqual({
      tier_slug: "member",
      tier_level: 1,
      subscription_status: "active",
    });
  });

  it("5. cancellation: cancelled with ends_at at the period end, access until then, Member after the cron", async () => {
    const { token, user } = await t.signup("canceller@example.com");
    const upgrade = await (
      await t.request("POST", "/api/user/subscription/upgrade", {
        token,
        json: { tier_slug: "business", billing_cycle: "monthly" },
      })
    ).json();
    const periodEnd: string = upgrade.upgrade.next_billing;
    t.clock.advance({ days: 3 });

    const res = await t.request("DELETE", "/api/user/subscription/cancel", {
      token: await t.tokenFor(user.id),
      json: { reason: "Budget" },
    });
    expect(res.status).toBe(200);
    const { cancellation, token: cancelledToken } = await res.json();
    expect(cancellation).toEqual({ cancelled: true, remains_active_until: periodEnd, reverts_to_tier: "member" });
    const { subscription } = await currentState(t.db, user.id);
    expect(subscription).toMatchObject({ status: "cancelled", tierSlug: "business" });
    expect(subscription?.endsAt?.toISOString()).toBe(periodEnd);

    expect(tierClaims(cancelledToken)).toMatchObject({ tier_slug: "business", subscription_status: "cancelled" });
    // Tokens live 7 days, so each check after a jump in time signs in again.
    const priority = async () =>
      t.request("GET", "/api/features/priority-support", { token: await login("canceller@example.com") });
    t.clock.set(new Date(new Date(periodEnd).getTime() - 1000));
    await runCron();
    expect((await priority()).status).toBe(200);

    t.clock.set(new Date(new Date(periodEnd).getTime() + 1000));
    expect((await runCron()).expired).toBe(1);
    expect((await priority()).status).toBe(403);
    expect(await subscriptionOf(await login("canceller@example.com"))).toMatchObject({
      tier: { slug: "member" },
      status: "active",
    });
    expect((await historyOf(t.db, user.id)).at(-1)).toMatchObject({
      action: "expired",
      fromTierSlug: "business",
      toTierSlug: "member",
    });
  });
});
