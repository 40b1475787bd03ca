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

describe("DELETE /api/user/subscription/cancel and POST /resume", () => {
  it.each([
    ["no body at all", {}],
    ["an empty body labelled JSON", { body: "", headers: { "Content-Type": "application/json" } }],
    ["an empty object", { json: {} }],
  ])("cancels with %s, keeping access until the period end", async (_, options) => {
    const { token, user } = await signupOnTier(t, "pro");
    const { subscription: pro } = await currentState(t.db, user.id);
    const res = await t.request("DELETE", `${BASE}/cancel`, { token, ...options });
    expect(res.status).toBe(200);
    const body = await res.json();
    expect(body).toEqual({
      success: true,
      message: "Subscription cancelled",
      cancellation: {
        cancelled: true,
        remains_active_until: pro?.currentPeriodEnd?.toISOString(),
        reverts_to_tier: "member",
      },
      token: expect.any(String),
    });
    const after = await currentState(t.db, user.id);
    expect(after.subscription).toMatchObject({
      id: pro?.id,
      tierSlug: "pro",
      status: "cancelled",
      cancelledAt: t.clock.now(),
      endsAt: pro?.currentPeriodEnd,
    });
    expect(after.user?.currentTierSlug).toBe("pro");
    expect(tierClaims(body.token)).toEqual({ tier_slug: "pro", tier_level: 2, subscription_status: "cancelled" });
  });

  it("keeps the reason, refuses a second cancel, and resumes", async () => {
    const { token, user } = await signupOnTier(t, "pro");
    const res = await t.request("DELETE", `${BASE}/cancel`, { token, json: { reason: "Switching providers" } });
    expect(res.status).toBe(200);
    expect((await historyOf(t.db, user.id)).at(-1)).toMatchObject({
      action: "cancelled",
      fromTierSlug: "pro",
      toTierSlug: "member",
      reason: "Switching providers",
    });
    await expectRefusal(t, () => t.request("DELETE", `${BASE}/cancel`, { token }), 409, "already_cancelled");

    t.clock.advance({ days: 3 });
    const resumed = await t.request("POST", `${BASE}/resume`, { token: await t.tokenFor(user.id) });
    expect(resumed.status).toBe(200);
    const body = await resumed.json();
    expect(body).toMatchObject({
      success: true,
      message: expect.stringContaining("resumed"),
      subscription: { tier: { slug: "pro" }, status: "active", cancelled_at: null, ends_at: null },
      token: expect.any(String),
    });
    expect((await currentState(t.db, user.id)).subscription).toMatchObject({
      status: "active",
      cancelledAt: null,
      endsAt: null,
    });
    expect((await historyOf(t.db, user.id)).at(-1)).toMatchObject({ action: "resumed" });
    expect(tierClaims(body.token).subscription_status).toBe("active");
  });

  it("refuses to cancel the free tier and to resume what is not cancelled with 409", async () => {
    const member = await t.signup();
    await expectRefusal(
      t,
      () => t.request("DELETE", `${BASE}/cancel`, { token: member.token }),
      409,
      "nothing_to_cancel",
    );
    const { token } = await signupOnTier(t, "pro");
    await expectRefusal(t, () => t.request("POST", `${BASE}/resume`, { token }), 409, "not_cancelled");
  });

  it.each([
    ["a reason over 500 characters", { reason: "x".repeat(501) }],
    ["a NUL in the reason", { reason: "too\u0000expensive" }],
    ["a lone surrogate in the reason", { reason: "bye \udc00" }],
    ["an unknown field", { when: "now" }],
  ])("answers 400 validation_error to %s", async (_, json) => {
    const { token } = await signupOnTier(t, "pro");
    await expectRefusal(t, () => t.request("DELETE", `${BASE}/cancel`, { token, json }), 400, "validation_error");
  });
});
