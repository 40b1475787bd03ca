import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import { admin, get, setupAdminSubscriptionsWorld, t } from "../support/admin-subscriptions-world.ts";
import { expectRefusal, signupOnTier } from "../support/api-checks.ts";
import { historyOf } from "../support/subscription-state.ts";

setupAdminSubscriptionsWorld();

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
