import { describe, expect, it } from "vitest";
import { cancel, resume, scheduleDowngrade, undoDowngrade, upgrade } from "../../api/services/subscriptions/index.ts";
import { at, createMember } from "../support/fixtures.ts";
import { expectRefused, handle, rowsOf, setupLifecycleDatabase, t0 } from "../support/lifecycle-world.ts";

// Off a tier: scheduled downgrades, cancel and resume, and both at the instant a period ends.
setupLifecycleDatabase();

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
