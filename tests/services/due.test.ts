import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { cancel, findCurrent, processDue, scheduleDowngrade, upgrade } from "../../api/services/subscriptions/index.ts";
import { subscriptionHistory, userSubscriptions, users } from "../../db/schema.ts";
import { at, createMember } from "../support/fixtures.ts";
import { createTestDatabase, type TestDatabase } from "../support/test-db.ts";

let handle: TestDatabase;
beforeAll(async () => {
  handle = await createTestDatabase();
});
afterAll(() => handle.close());

const t0 = at("2024-01-31T10:00:00.000Z");

async function paidUser(tierSlug: string, billingCycle: "monthly" | "annual" = "monthly") {
  const { user } = await createMember(handle.db, t0);
  await upgrade(handle.db, { userId: user.id, tierSlug, billingCycle, now: t0 });
  return user.id;
}

async function historyOf(userId: string) {
  return handle.db
    .select()
    .from(subscriptionHistory)
    .where(eq(subscriptionHistory.userId, userId))
    .orderBy(subscriptionHistory.createdAt, subscriptionHistory.action);
}

async function tierOf(userId: string) {
  const [user] = await handle.db.select().from(users).where(eq(users.id, userId));
  return user?.currentTierSlug;
}

describe("processDue", () => {
  it("applies a scheduled downgrade only once ends_at has passed, keeping the billing anchor", async () => {
    const userId = await paidUser("business");
    await scheduleDowngrade(handle.db, {
      userId,
      tierSlug: "pro",
      reason: "Smaller team",
      now: at("2024-02-10T00:00:00Z"),
    });
    const endsAt = at("2024-02-29T10:00:00.000Z");

    const early = await processDue(handle.db, { now: new Date(endsAt.getTime() - 1) });
    expect(early.downgraded).toBe(0);
    expect(await tierOf(userId)).toBe("business");

    const due = await processDue(handle.db, { now: endsAt });
    expect(due.downgraded).toBeGreaterThanOrEqual(1);
    expect(await tierOf(userId)).toBe("pro");
    const current = await findCurrent(handle.db, userId);
    expect(current).toMatchObject({
      tierSlug: "pro",
      status: "active",
      billingCycle: "monthly",
      startedAt: endsAt,
      currentPeriodStart: endsAt,
      // The anchor stays Jan 31, so the next period ends on Mar 31, not Mar 29.
      currentPeriodEnd: at("2024-03-31T10:00:00.000Z"),
      billingAnchorAt: t0,
    });
    const [user] = await handle.db.select().from(users).where(eq(users.id, userId));
    expect(user?.subscriptionId).toBe(current?.id);
    expect((await historyOf(userId)).at(-1)).toMatchObject({
      action: "downgraded",
      fromTierSlug: "business",
      toTierSlug: "pro",
      subscriptionId: current?.id,
    });
  });

  it("reverts a cancelled subscription to member when its access ends", async () => {
    const userId = await paidUser("pro", "annual");
    await cancel(handle.db, { userId, reason: "Too expensive", now: at("2024-03-01T00:00:00Z") });
    await processDue(handle.db, { now: at("2025-01-30T00:00:00Z") });
    expect(await tierOf(userId)).toBe("pro");
    await processDue(handle.db, { now: at("2025-01-31T10:00:00Z") });
    expect(await tierOf(userId)).toBe("member");
    const current = await findCurrent(handle.db, userId);
    expect(current).toMatchObject({ tierSlug: "member", billingCycle: null, currentPeriodEnd: null, status: "active" });
    expect((await historyOf(userId)).at(-1)).toMatchObject({
      action: "expired",
      fromTierSlug: "pro",
      toTierSlug: "member",
    });
    const old = await handle.db.select().from(userSubscriptions).where(eq(userSubscriptions.userId, userId));
    expect(old.filter((s) => s.status !== "expired")).toHaveLength(1);
  });

  it("renews active paid periods, catching up after missed runs, and is idempotent", async () => {
    const userId = await paidUser("pro");
    const leapDay = at("2024-02-29T10:00:00.000Z");
    await processDue(handle.db, { now: leapDay });
    expect(await findCurrent(handle.db, userId)).toMatchObject({
      currentPeriodStart: leapDay,
      currentPeriodEnd: at("2024-03-31T10:00:00.000Z"),
    });
    const again = await processDue(handle.db, { now: leapDay });
    expect(again).toMatchObject({ downgraded: 0, expired: 0, renewed: 0 });

    await processDue(handle.db, { now: at("2024-06-15T00:00:00Z") });
    expect(await findCurrent(handle.db, userId)).toMatchObject({
      currentPeriodStart: at("2024-05-31T10:00:00.000Z"),
      currentPeriodEnd: at("2024-06-30T10:00:00.000Z"),
    });
    const renewals = (await historyOf(userId)).filter((h) => h.action === "renewed");
    expect(renewals).toHaveLength(2);
  });

  it("catches up a downgrade that fell due months ago: downgraded, then renewed to the current period", async () => {
    const userId = await paidUser("elite");
    await scheduleDowngrade(handle.db, { userId, tierSlug: "business", now: at("2024-02-01T00:00:00Z") });
    await processDue(handle.db, { now: at("2024-05-10T00:00:00Z") });
    expect(await findCurrent(handle.db, userId)).toMatchObject({
      tierSlug: "business",
      startedAt: at("2024-02-29T10:00:00.000Z"),
      currentPeriodStart: at("2024-04-30T10:00:00.000Z"),
      currentPeriodEnd: at("2024-05-31T10:00:00.000Z"),
    });
    expect(
      (await historyOf(userId))
        .slice(-2)
        .map((h) => h.action)
        .sort(),
    ).toEqual(["downgraded", "renewed"]);
  });

  it("stops at its batch cap and leaves the rest for the next run, which drains it within its budget", async () => {
    const fresh = await createTestDatabase();
    try {
      const ids: string[] = [];
      for (let i = 0; i < 5; i += 1) {
        const { user } = await createMember(fresh.db, t0);
        await upgrade(fresh.db, { userId: user.id, tierSlug: "pro", billingCycle: "monthly", now: t0 });
        await cancel(fresh.db, { userId: user.id, now: t0 });
        ids.push(user.id);
      }
      const now = at("2024-03-01T00:00:00Z");
      const first = await processDue(fresh.db, { now, batchSize: 2, maxBatches: 1 });
      expect(first).toMatchObject({ expired: 2, batches: 1, stoppedBy: "batch_cap", more: true });
      // Three rows left, two a batch: one pass under the default budget takes both batches.
      const rest = await processDue(fresh.db, { now, batchSize: 2 });
      expect(rest).toMatchObject({ expired: 3, batches: 2, stoppedBy: "drained", more: false });
      const tiers = await fresh.db.select({ tier: users.currentTierSlug }).from(users);
      expect(tiers.map((t) => t.tier)).toEqual(ids.map(() => "member"));
    } finally {
      await fresh.close();
    }
  });
});
