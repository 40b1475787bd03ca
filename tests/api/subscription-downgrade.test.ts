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

describe("POST and DELETE /api/user/subscription/downgrade", () => {
  it("schedules Pro -> Member for the period end, keeps Pro until then and can be undone", async () => {
    const { token, user } = await signupOnTier(t, "pro");
    const { subscription: pro } = await currentState(t.db, user.id);
    const periodEnd = pro?.currentPeriodEnd?.toISOString();
    const res = await t.request("POST", `${BASE}/downgrade`, {
      token,
      json: { tier_slug: "member", reason: "Too pricey" },
    });
    expect(res.status).toBe(200);
    const body = await res.json();
    expect(body).toEqual({
      success: true,
      message: `Downgrade to member scheduled for ${periodEnd}`,
      downgrade: {
        subscription_id: pro?.id,
        old_tier: "pro",
        new_tier: "member",
        effective_date: periodEnd,
        remains_active_until: periodEnd,
      },
      token: expect.any(String),
    });
    const scheduled = await currentState(t.db, user.id);
    expect(scheduled.subscription).toMatchObject({
      id: pro?.id,
      tierSlug: "pro",
      status: "active",
      scheduledTierSlug: "member",
    });
    expect(scheduled.subscription?.endsAt?.toISOString()).toBe(periodEnd);
    expect(scheduled.user?.currentTierSlug).toBe("pro");
    expect((await historyOf(t.db, user.id)).at(-1)).toMatchObject({
      action: "downgrade_scheduled",
      fromTierSlug: "pro",
      toTierSlug: "member",
      reason: "Too pricey",
    });
    expect(tierClaims(body.token)).toEqual({ tier_slug: "pro", tier_level: 2, subscription_status: "active" });

    t.clock.advance({ minutes: 1 });
    const undo = await t.request("DELETE", `${BASE}/downgrade`, { token: body.token });
    expect(undo.status).toBe(200);
    const undone = await undo.json();
    expect(undone).toMatchObject({
      success: true,
      message: expect.any(String),
      subscription: { id: pro?.id, tier: { slug: "pro" }, status: "active", ends_at: null, scheduled_tier_slug: null },
      token: expect.any(String),
    });
    expect((await currentState(t.db, user.id)).subscription).toMatchObject({ scheduledTierSlug: null, endsAt: null });
    expect((await historyOf(t.db, user.id)).at(-1)).toMatchObject({ action: "downgrade_undone", toTierSlug: "member" });
    expect(tierClaims(undone.token).tier_slug).toBe("pro");
  });

  it("refuses a higher tier, a member's downgrade and a cancelled subscription with 409", async () => {
    const { token } = await signupOnTier(t, "pro");
    await expectRefusal(
      t,
      () => t.request("POST", `${BASE}/downgrade`, { token, json: { tier_slug: "elite" } }),
      409,
      "not_a_downgrade",
    );
    await expectRefusal(
      t,
      () => t.request("POST", `${BASE}/downgrade`, { token, json: { tier_slug: "pro" } }),
      409,
      "not_a_downgrade",
    );
    const member = await t.signup();
    await expectRefusal(
      t,
      () => t.request("POST", `${BASE}/downgrade`, { token: member.token, json: { tier_slug: "member" } }),
      409,
      "not_a_downgrade",
    );
    expect((await t.request("DELETE", `${BASE}/cancel`, { token })).status).toBe(200);
    await expectRefusal(
      t,
      () => t.request("POST", `${BASE}/downgrade`, { token, json: { tier_slug: "member" } }),
      409,
      "already_cancelled",
    );
  });

  it("refuses an unknown tier with 404 and a long reason with 400", async () => {
    const { token } = await signupOnTier(t, "pro");
    await expectRefusal(
      t,
      () => t.request("POST", `${BASE}/downgrade`, { token, json: { tier_slug: "free" } }),
      404,
      "tier_not_found",
    );
    await expectRefusal(
      t,
      () => t.request("POST", `${BASE}/downgrade`, { token, json: { tier_slug: "member", reason: "x".repeat(501) } }),
      400,
      "validation_error",
    );
  });

  it("refuses to undo when nothing is scheduled with 409", async () => {
    const { token } = await signupOnTier(t, "pro");
    await expectRefusal(t, () => t.request("DELETE", `${BASE}/downgrade`, { token }), 409, "downgrade_not_scheduled");
  });
});
