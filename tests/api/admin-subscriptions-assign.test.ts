import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import { admin, member, setupAdminSubscriptionsWorld, t } from "../support/admin-subscriptions-world.ts";
import { expectRefusal, signupOnTier } from "../support/api-checks.ts";
import { currentState, historyOf } from "../support/subscription-state.ts";

setupAdminSubscriptionsWorld();

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
