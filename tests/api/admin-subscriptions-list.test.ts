import { sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { queryRows } from "../../db/client/types.ts";
import { get, setupAdminSubscriptionsWorld, t } from "../support/admin-subscriptions-world.ts";
import { expectRefusal, signupOnTier } from "../support/api-checks.ts";
import { currentState } from "../support/subscription-state.ts";

setupAdminSubscriptionsWorld();

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
