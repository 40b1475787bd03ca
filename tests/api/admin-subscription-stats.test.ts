import { sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { queryRows } from "../../db/client/types.ts";
import { CURRENT_STATUS_LIST } from "../../db/schema.ts";
import { get, setupAdminSubscriptionsWorld, t } from "../support/admin-subscriptions-world.ts";
import { signupOnTier } from "../support/api-checks.ts";

setupAdminSubscriptionsWorld();

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
