import type { Database } from "../../../db/client/types.ts";
import type { BillingCycle, Tier } from "../../../db/schema.ts";
import { assertSeatsFit, fitSeats } from "../seats/index.ts";
import type { Draft } from "./change.ts";
import { noSuchUser, SubscriptionError } from "./errors.ts";
import { operation } from "./operation.ts";
import { periodContaining } from "./period.ts";
import type { ProviderState } from "./provider-state.ts";
import { findActiveTier, isFree, type SubscriptionWithTier } from "./store.ts";
import { startWrite, type Write } from "./writes.ts";

export type { Change } from "./change.ts";
export type { Caller } from "./operation.ts";

/**
 * A payment provider's copy of a change (payments/mirrors.ts). It runs after the lifecycle's rules
 * passed and before anything is written, so a refusal there (a declined card, an unreachable
 * provider) leaves nothing changed. A change decided again (the plan changed meanwhile) calls it
 * again; its calls set the provider's state rather than step it, so a repeat does no harm.
 */
export type Mirror<T = void> = (current: SubscriptionWithTier, target: Tier | null) => Promise<T>;

/** The free subscription every account starts with, as a statement for the sign-up's own batch. */
export function memberSubscriptionWrite(userId: string, member: Tier, now: Date): Write {
  return startWrite(
    { userId, tier: member, billingCycle: null, startsAt: now, now },
    { action: "created", fromTierSlug: null, toTierSlug: member.slug, changedByUserId: userId },
  );
}

/** The same, sent inside the caller's transaction. */
export async function createMemberSubscription(tx: Database, userId: string, now: Date): Promise<SubscriptionWithTier> {
  const { statement, row } = memberSubscriptionWrite(userId, await findActiveTier(tx, "member"), now);
  await tx.execute(statement);
  return row;
}

function requireCycle(tierName: string, free: boolean, cycle: BillingCycle | null | undefined): BillingCycle | null {
  if (free) return null;
  if (!cycle)
    throw new SubscriptionError("invalid_billing_cycle", `${tierName} needs a billing cycle (monthly or annual).`);
  return cycle;
}

/**
 * The cron renews an ended period only on its next run; a change made before then must start from
 * the period the clock is in, or the access it promises would end in the past. So the renewal the
 * cron would write (same condition, same history row) is written here first.
 */
function renewIfEnded(draft: Draft, current: SubscriptionWithTier, now: Date): SubscriptionWithTier {
  const { currentPeriodEnd, billingAnchorAt, billingCycle } = current;
  if (current.status !== "active" || current.endsAt || !currentPeriodEnd || currentPeriodEnd > now) return current;
  // A provider's invoice renews its rows; until it is paid the period stays as the provider left it.
  if (current.paymentProvider) return current;
  if (!billingAnchorAt || !billingCycle) return current;
  const period = periodContaining(billingAnchorAt, billingCycle, now);
  return draft.update(current, { currentPeriodStart: period.start, currentPeriodEnd: period.end }, now, {
    action: "renewed",
    fromTierSlug: current.tierSlug,
    toTierSlug: current.tierSlug,
  });
}

interface UpgradeInput {
  userId: string;
  tierSlug: string;
  billingCycle: BillingCycle;
  now: Date;
  /** Changes the price at the provider; its answer gives the new row's status and period. */
  mirror?: Mirror<ProviderState | undefined>;
}

/** Effective immediately: the current row ends now and the new tier's first period starts now. */
export const upgrade = operation<UpgradeInput>({
  target: (input) => input.tierSlug,
  rule: async (input, { current, target, seats }, draft) => {
    const higher = target.tierLevel > current.tier.tierLevel;
    const toAnnual =
      target.slug === current.tierSlug && current.billingCycle === "monthly" && input.billingCycle === "annual";
    if (isFree(target) || !(higher || toAnnual)) {
      throw new SubscriptionError(
        "not_an_upgrade",
        `${target.name} (${input.billingCycle}) is not an upgrade from ${current.tier.name}.`,
      );
    }
    assertSeatsFit(seats, target);
    const billed = await input.mirror?.(current, target);
    const terms = billed
      ? {
          anchor: billed.anchor,
          periodEnd: billed.periodEnd,
          status: billed.status === "ended" ? undefined : billed.status,
          provider: { provider: billed.provider, subscriptionId: billed.subscriptionId },
        }
      : {};
    const subscription = draft.start(
      {
        userId: input.userId,
        tier: target,
        billingCycle: input.billingCycle,
        startsAt: input.now,
        now: input.now,
        ...terms,
      },
      { action: "upgraded", fromTierSlug: current.tierSlug, toTierSlug: target.slug, changedByUserId: input.userId },
      current,
    );
    return { previous: current, subscription };
  },
});

interface DowngradeInput {
  userId: string;
  tierSlug: string;
  reason?: string | null;
  now: Date;
  mirror?: Mirror;
}

/** The user keeps the current tier until the period ends; the cron then starts the lower tier. */
export const scheduleDowngrade = operation<DowngradeInput>({
  target: (input) => input.tierSlug,
  rule: async (input, { current: found, target, seats }, draft) => {
    const current = renewIfEnded(draft, found, input.now);
    if (current.status === "cancelled") {
      throw new SubscriptionError(
        "already_cancelled",
        "The subscription is cancelled; resume it before changing tiers.",
      );
    }
    if (target.tierLevel >= current.tier.tierLevel || !current.currentPeriodEnd) {
      throw new SubscriptionError("not_a_downgrade", `${target.name} is not a downgrade from ${current.tier.name}.`);
    }
    assertSeatsFit(seats, target);
    await input.mirror?.(current, target);
    const subscription = draft.update(
      current,
      { scheduledTierSlug: target.slug, endsAt: current.currentPeriodEnd },
      input.now,
      {
        action: "downgrade_scheduled",
        fromTierSlug: current.tierSlug,
        toTierSlug: target.slug,
        changedByUserId: input.userId,
        reason: input.reason,
      },
    );
    return { previous: found, subscription };
  },
});

interface PlainInput {
  userId: string;
  now: Date;
  mirror?: Mirror;
}

export const undoDowngrade = operation<PlainInput>({
  rule: async (input, { current }, draft) => {
    if (!current.scheduledTierSlug) {
      throw new SubscriptionError("downgrade_not_scheduled", "No downgrade is scheduled.");
    }
    // Due but not yet applied by the cron: it took effect, as an ended cancellation does for resume.
    if (current.endsAt && current.endsAt <= input.now) {
      throw new SubscriptionError("downgrade_not_scheduled", "The scheduled downgrade has already taken effect.");
    }
    await input.mirror?.(current, null);
    const subscription = draft.update(current, { scheduledTierSlug: null, endsAt: null }, input.now, {
      action: "downgrade_undone",
      fromTierSlug: current.tierSlug,
      toTierSlug: current.scheduledTierSlug,
      changedByUserId: input.userId,
    });
    return { previous: current, subscription };
  },
});

/** Access stays until the period ends, then the cron reverts the user to member. */
export const cancel = operation<PlainInput & { reason?: string | null }>({
  rule: async (input, { current: found }, draft) => {
    if (!found.currentPeriodEnd) {
      throw new SubscriptionError("nothing_to_cancel", "The free tier has nothing to cancel.");
    }
    const current = renewIfEnded(draft, found, input.now);
    if (current.status === "cancelled") {
      throw new SubscriptionError("already_cancelled", "The subscription is already cancelled.");
    }
    // Its access already ends with the grace period; a cancellation would promise the unpaid period.
    if (current.status === "past_due") {
      throw new SubscriptionError(
        "payment_past_due",
        "The last payment failed: fix it in the billing portal, or the subscription ends when the grace period does.",
      );
    }
    await input.mirror?.(current, null);
    const subscription = draft.update(
      current,
      { status: "cancelled", cancelledAt: input.now, endsAt: current.currentPeriodEnd, scheduledTierSlug: null },
      input.now,
      {
        action: "cancelled",
        fromTierSlug: current.tierSlug,
        toTierSlug: "member",
        changedByUserId: input.userId,
        reason: input.reason,
      },
    );
    return { previous: found, subscription };
  },
});

export const resume = operation<PlainInput>({
  rule: async (input, { current }, draft) => {
    if (current.status !== "cancelled" || !current.endsAt || current.endsAt <= input.now) {
      throw new SubscriptionError("not_cancelled", "There is no pending cancellation to resume.");
    }
    await input.mirror?.(current, null);
    const subscription = draft.update(current, { status: "active", cancelledAt: null, endsAt: null }, input.now, {
      action: "resumed",
      fromTierSlug: current.tierSlug,
      toTierSlug: current.tierSlug,
      changedByUserId: input.userId,
    });
    return { previous: current, subscription };
  },
});

interface AssignInput {
  adminId: string;
  userId: string;
  tierSlug: string;
  billingCycle?: BillingCycle | null;
  reason: string;
  now: Date;
  /** What happens to a provider's subscription the user had (docs/decisions/009-payments-through-stripe.md). */
  mirror?: Mirror;
}

/** An admin sets any tier at once, bypassing payment; the reason is kept in the audit trail. */
export const assignTier = operation<AssignInput>({
  target: (input) => input.tierSlug,
  missing: noSuchUser,
  rule: async (input, { current, target, sharesSeats }, draft) => {
    const billingCycle = requireCycle(target.name, isFree(target), input.billingCycle);
    // Restarting the same plan would only reset its period: refuse it rather than record a no-op.
    const unchanged =
      target.slug === current.tierSlug &&
      billingCycle === current.billingCycle &&
      current.status === "active" &&
      !current.scheduledTierSlug;
    if (unchanged) {
      const cycle = billingCycle ? `, billed ${billingCycle},` : "";
      throw new SubscriptionError(
        "nothing_to_change",
        `The user is already on ${target.name}${cycle} with nothing scheduled.`,
      );
    }
    await input.mirror?.(current, target);
    const subscription = draft.start(
      { userId: input.userId, tier: target, billingCycle, startsAt: input.now, now: input.now },
      {
        action: "assigned",
        fromTierSlug: current.tierSlug,
        toTierSlug: target.slug,
        changedByUserId: input.adminId,
        isAdminAction: true,
        reason: input.reason,
      },
      current,
    );
    // An assignment is the admin's word: seats beyond the new tier's go, newest first.
    const cut = {
      ownerId: input.userId,
      formerTierSlug: current.tierSlug,
      changedByUserId: input.adminId,
      isAdminAction: true,
      reason: input.reason,
    };
    return {
      previous: current,
      subscription,
      after: sharesSeats ? (tx: Database) => fitSeats(tx, [cut], input.now) : undefined,
    };
  },
});
