import { and, eq, inArray } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { assignTier, getSubscriptionOverview, upgrade } from "../../api/services/subscriptions/index.ts";
import { CURRENT_STATUSES, userSubscriptions, userTiers } from "../../db/schema.ts";
import { at, createMember } from "../support/fixtures.ts";
import { expectRefused, handle, rowsOf, setupLifecycleDatabase, t0 } from "../support/lifecycle-world.ts";

// Onto a tier: signup, upgrades, an admin's assignment, and the upgrades the overview offers.
setupLifecycleDatabase();

describe("signup", () => {
  it("gives a new user one active member subscription, the user's pointers and a created history row", async () => {
    const { user } = await createMember(handle.db, t0);
    const { subs, history, user: row } = await rowsOf(user.id);
    expect(subs).toHaveLength(1);
    expect(subs[0]).toMatchObject({ tierSlug: "member", status: "active", billingCycle: null, currentPeriodEnd: null });
    expect(row.subscriptionId).toBe(subs[0]!.id);
    expect(row.currentTierSlug).toBe("member");
    expect(history.map((h) => [h.action, h.fromTierSlug, h.toTierSlug])).toEqual([["created", null, "member"]]);
  });
});

describe("upgrade", () => {
  it("takes effect at once: the member row ends now and a pro period starts now", async () => {
    const { user, subscription } = await createMember(handle.db, t0);
    const now = at("2025-02-10T12:00:00.000Z");
    const change = await upgrade(handle.db, { userId: user.id, tierSlug: "pro", billingCycle: "monthly", now });
    expect(change.previous.tierSlug).toBe("member");
    expect(change.subscription).toMatchObject({
      tierSlug: "pro",
      status: "active",
      billingCycle: "monthly",
      startedAt: now,
      currentPeriodStart: now,
      currentPeriodEnd: at("2025-03-10T12:00:00.000Z"),
      billingAnchorAt: now,
    });
    const { subs, history, user: row, current } = await rowsOf(user.id);
    expect(subs.find((s) => s.id === subscription.id)).toMatchObject({ status: "expired", endsAt: now });
    expect(current.map((s) => s.id)).toEqual([change.subscription.id]);
    expect(row).toMatchObject({ subscriptionId: change.subscription.id, currentTierSlug: "pro" });
    expect(history.at(-1)).toMatchObject({
      action: "upgraded",
      fromTierSlug: "member",
      toTierSlug: "pro",
      subscriptionId: change.subscription.id,
      changedByUserId: user.id,
      isAdminAction: false,
    });
  });

  it("allows the same paid tier from monthly to annual, and nothing sideways or down", async () => {
    const { user } = await createMember(handle.db, t0);
    await upgrade(handle.db, { userId: user.id, tierSlug: "business", billingCycle: "monthly", now: t0 });
    const annual = await upgrade(handle.db, { userId: user.id, tierSlug: "business", billingCycle: "annual", now: t0 });
    expect(annual.subscription).toMatchObject({
      billingCycle: "annual",
      currentPeriodEnd: at("2026-01-31T10:00:00.000Z"),
    });
    const id = user.id;
    await expectRefused(
      () => upgrade(handle.db, { userId: id, tierSlug: "business", billingCycle: "monthly", now: t0 }),
      "not_an_upgrade",
    );
    await expectRefused(
      () => upgrade(handle.db, { userId: id, tierSlug: "pro", billingCycle: "annual", now: t0 }),
      "not_an_upgrade",
    );
    await expectRefused(
      () => upgrade(handle.db, { userId: id, tierSlug: "member", billingCycle: "monthly", now: t0 }),
      "not_an_upgrade",
    );
    await expectRefused(
      () => upgrade(handle.db, { userId: id, tierSlug: "platinum", billingCycle: "monthly", now: t0 }),
      "tier_not_found",
    );
  });

  it("refuses a tier that is no longer offered and an unknown user", async () => {
    const { user } = await createMember(handle.db, t0);
    await handle.db.update(userTiers).set({ isActive: false }).where(eq(userTiers.slug, "family"));
    try {
      await expectRefused(
        () => upgrade(handle.db, { userId: user.id, tierSlug: "family", billingCycle: "monthly", now: t0 }),
        "tier_inactive",
      );
    } finally {
      await handle.db.update(userTiers).set({ isActive: true }).where(eq(userTiers.slug, "family"));
    }
    // The caller changing their own plan is gone: refused like an invalid credential, not a missing resource.
    await expectRefused(
      () => upgrade(handle.db, { userId: crypto.randomUUID(), tierSlug: "pro", billingCycle: "monthly", now: t0 }),
      "invalid_token",
    );
    await expectRefused(
      () =>
        assignTier(handle.db, {
          adminId: user.id,
          userId: crypto.randomUUID(),
          tierSlug: "pro",
          reason: "test",
          now: t0,
        }),
      "user_not_found",
    );
  });
});

describe("admin assignment", () => {
  it("sets any tier at once as an admin action with its reason", async () => {
    const { user: admin } = await createMember(handle.db, t0);
    const { user } = await createMember(handle.db, t0);
    const change = await assignTier(handle.db, {
      adminId: admin.id,
      userId: user.id,
      tierSlug: "elite",
      billingCycle: "annual",
      reason: "Beta tester reward",
      now: t0,
    });
    expect(change.subscription).toMatchObject({ tierSlug: "elite", billingCycle: "annual", status: "active" });
    const rows = await rowsOf(user.id);
    expect(rows.current).toHaveLength(1);
    expect(rows.history.at(-1)).toMatchObject({
      action: "assigned",
      fromTierSlug: "member",
      toTierSlug: "elite",
      changedByUserId: admin.id,
      isAdminAction: true,
      reason: "Beta tester reward",
    });
    const down = await assignTier(handle.db, {
      adminId: admin.id,
      userId: user.id,
      tierSlug: "member",
      reason: "Refund",
      now: t0,
    });
    expect(down.subscription).toMatchObject({ tierSlug: "member", billingCycle: null, currentPeriodEnd: null });
    await expectRefused(
      () => assignTier(handle.db, { adminId: admin.id, userId: user.id, tierSlug: "pro", reason: "x", now: t0 }),
      "invalid_billing_cycle",
    );
  });
});

describe("overview", () => {
  it("lists the active tiers and the upgrades above the current level", async () => {
    const { user } = await createMember(handle.db, t0);
    const member = await getSubscriptionOverview(handle.db, user.id);
    expect(member.availableTiers.map((t) => t.slug)).toEqual(["member", "pro", "business", "elite", "family"]);
    expect(member.availableUpgrades.map((t) => t.slug)).toEqual(["pro", "business", "elite", "family"]);
    await upgrade(handle.db, { userId: user.id, tierSlug: "elite", billingCycle: "monthly", now: t0 });
    const elite = await getSubscriptionOverview(handle.db, user.id);
    expect(elite.subscription.tier.slug).toBe("elite");
    expect(elite.availableUpgrades.map((t) => t.slug)).toEqual(["elite", "family"]);
    const stillCurrent = await handle.db
      .select()
      .from(userSubscriptions)
      .where(and(eq(userSubscriptions.userId, user.id), inArray(userSubscriptions.status, [...CURRENT_STATUSES])));
    expect(stillCurrent).toHaveLength(1);
  });
});
