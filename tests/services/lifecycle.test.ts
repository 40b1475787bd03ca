import { and, eq, inArray } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ServiceError } from "../../api/services/service-error.ts";
import {
  assignTier,
  cancel,
  getSubscriptionOverview,
  resume,
  scheduleDowngrade,
  undoDowngrade,
  upgrade,
} from "../../api/services/subscriptions/index.ts";
import { CURRENT_STATUSES, subscriptionHistory, userSubscriptions, users, userTiers } from "../../db/schema.ts";
import { at, createMember, snapshot } from "../support/fixtures.ts";
import { createTestDatabase, type TestDatabase } from "../support/test-db.ts";

let handle: TestDatabase;
beforeAll(async () => {
  handle = await createTestDatabase();
});
afterAll(() => handle.close());

const t0 = at("2025-01-31T10:00:00.000Z");

async function rowsOf(userId: string) {
  const db = handle.db;
  const subs = await db.select().from(userSubscriptions).where(eq(userSubscriptions.userId, userId));
  const history = await db
    .select()
    .from(subscriptionHistory)
    .where(eq(subscriptionHistory.userId, userId))
    .orderBy(subscriptionHistory.createdAt);
  const [user] = await db.select().from(users).where(eq(users.id, userId));
  const current = subs.filter((s) => s.status === "active" || s.status === "cancelled");
  return { subs, history, user: user!, current };
}

/** Asserts that `operation` is refused with `code` and leaves every row as it was. */
async function expectRefused(operation: () => Promise<unknown>, code: string) {
  const before = await snapshot(handle.db);
  const error = await operation().then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(ServiceError);
  expect((error as ServiceError).code).toBe(code);
  expect(await snapshot(handle.db)).toBe(before);
}

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

describe("scheduled downgrade", () => {
  it("keeps the current tier until the period ends and records the target; undo restores it", async () => {
    const { user } = await createMember(handle.db, t0);
    const up = await upgrade(handle.db, { userId: user.id, tierSlug: "business", billingCycle: "monthly", now: t0 });
    const now = at("2025-02-05T00:00:00.000Z");
    const change = await scheduleDowngrade(handle.db, { userId: user.id, tierSlug: "pro", reason: "Too pricey", now });
    expect(change.subscription).toMatchObject({
      id: up.subscription.id,
      tierSlug: "business",
      status: "active",
      scheduledTierSlug: "pro",
      endsAt: at("2025-02-28T10:00:00.000Z"),
    });
    const after = await rowsOf(user.id);
    expect(after.user.currentTierSlug).toBe("business");
    expect(after.history.at(-1)).toMatchObject({
      action: "downgrade_scheduled",
      fromTierSlug: "business",
      toTierSlug: "pro",
      reason: "Too pricey",
    });

    const undone = await undoDowngrade(handle.db, { userId: user.id, now });
    expect(undone.subscription).toMatchObject({ scheduledTierSlug: null, endsAt: null, status: "active" });
    expect((await rowsOf(user.id)).history.at(-1)).toMatchObject({ action: "downgrade_undone", toTierSlug: "pro" });
    await expectRefused(() => undoDowngrade(handle.db, { userId: user.id, now }), "downgrade_not_scheduled");
  });

  it("refuses a target that is not lower, a free user and a cancelled subscription", async () => {
    const { user: member } = await createMember(handle.db, t0);
    await expectRefused(
      () => scheduleDowngrade(handle.db, { userId: member.id, tierSlug: "member", now: t0 }),
      "not_a_downgrade",
    );
    const { user } = await createMember(handle.db, t0);
    await upgrade(handle.db, { userId: user.id, tierSlug: "pro", billingCycle: "monthly", now: t0 });
    await expectRefused(
      () => scheduleDowngrade(handle.db, { userId: user.id, tierSlug: "elite", now: t0 }),
      "not_a_downgrade",
    );
    await expectRefused(
      () => scheduleDowngrade(handle.db, { userId: user.id, tierSlug: "pro", now: t0 }),
      "not_a_downgrade",
    );
    await cancel(handle.db, { userId: user.id, now: t0 });
    await expectRefused(
      () => scheduleDowngrade(handle.db, { userId: user.id, tierSlug: "member", now: t0 }),
      "already_cancelled",
    );
  });
});

describe("cancel and resume", () => {
  it("cancels a paid subscription with access until the period ends, and resumes it before then", async () => {
    const { user } = await createMember(handle.db, t0);
    const up = await upgrade(handle.db, { userId: user.id, tierSlug: "pro", billingCycle: "annual", now: t0 });
    await scheduleDowngrade(handle.db, { userId: user.id, tierSlug: "member", now: t0 });
    const now = at("2025-06-01T00:00:00.000Z");
    const cancelled = await cancel(handle.db, { userId: user.id, reason: "Moving on", now });
    expect(cancelled.subscription).toMatchObject({
      id: up.subscription.id,
      status: "cancelled",
      cancelledAt: now,
      endsAt: at("2026-01-31T10:00:00.000Z"),
      scheduledTierSlug: null,
    });
    const rows = await rowsOf(user.id);
    expect(rows.user.currentTierSlug).toBe("pro");
    expect(rows.history.at(-1)).toMatchObject({
      action: "cancelled",
      fromTierSlug: "pro",
      toTierSlug: "member",
      reason: "Moving on",
    });
    await expectRefused(() => cancel(handle.db, { userId: user.id, now }), "already_cancelled");

    const resumed = await resume(handle.db, { userId: user.id, now });
    expect(resumed.subscription).toMatchObject({ status: "active", cancelledAt: null, endsAt: null });
    expect((await rowsOf(user.id)).history.at(-1)).toMatchObject({ action: "resumed" });
    await expectRefused(() => resume(handle.db, { userId: user.id, now }), "not_cancelled");
  });

  it("refuses to cancel the free tier and to resume once the cancellation took effect", async () => {
    const { user: member } = await createMember(handle.db, t0);
    await expectRefused(() => cancel(handle.db, { userId: member.id, now: t0 }), "nothing_to_cancel");
    const { user } = await createMember(handle.db, t0);
    await upgrade(handle.db, { userId: user.id, tierSlug: "pro", billingCycle: "monthly", now: t0 });
    await cancel(handle.db, { userId: user.id, now: t0 });
    await expectRefused(
      () => resume(handle.db, { userId: user.id, now: at("2025-02-28T10:00:00.000Z") }),
      "not_cancelled",
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

// The cron renews an ended period only on its next run (every 15 minutes on Workers); a change in
// between must count from the period that is current by the clock, not from the one that ended.
describe("changes at the instant a period ends, before the cron ran", () => {
  const periodEnd = at("2025-02-28T10:00:00.000Z");

  it("cancel and downgrade renew the ended period first, so access runs to the end of the new one", async () => {
    const { user } = await createMember(handle.db, t0);
    await upgrade(handle.db, { userId: user.id, tierSlug: "pro", billingCycle: "monthly", now: t0 });
    const cancelled = await cancel(handle.db, { userId: user.id, now: periodEnd });
    expect(cancelled.subscription).toMatchObject({
      currentPeriodStart: periodEnd,
      currentPeriodEnd: at("2025-03-31T10:00:00.000Z"),
      endsAt: at("2025-03-31T10:00:00.000Z"),
    });
    expect((await rowsOf(user.id)).history.map((h) => h.action)).toEqual([
      "created",
      "upgraded",
      "renewed",
      "cancelled",
    ]);

    const { user: other } = await createMember(handle.db, t0);
    await upgrade(handle.db, { userId: other.id, tierSlug: "business", billingCycle: "monthly", now: t0 });
    const later = at("2025-02-28T10:05:00.000Z");
    const scheduled = await scheduleDowngrade(handle.db, { userId: other.id, tierSlug: "pro", now: later });
    expect(scheduled.subscription).toMatchObject({
      currentPeriodStart: periodEnd,
      endsAt: at("2025-03-31T10:00:00.000Z"),
    });
  });

  it("refuses to undo a downgrade that fell due, as resume refuses an ended cancellation", async () => {
    const { user } = await createMember(handle.db, t0);
    await upgrade(handle.db, { userId: user.id, tierSlug: "business", billingCycle: "monthly", now: t0 });
    await scheduleDowngrade(handle.db, { userId: user.id, tierSlug: "pro", now: t0 });
    await expectRefused(() => undoDowngrade(handle.db, { userId: user.id, now: periodEnd }), "downgrade_not_scheduled");
  });
});
