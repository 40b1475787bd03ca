import { and, eq, sql } from "drizzle-orm";
import { type Database, queryRows } from "../../../db/client/types.ts";
import {
  type BillingCycle,
  type PaymentProviderName,
  type Subscription,
  userSubscriptions,
} from "../../../db/schema.ts";
import { fitSeats } from "../seats/index.ts";
import { noSuchUser } from "./errors.ts";
import type { Change } from "./lifecycle.ts";
import {
  type ChangeRecord,
  findActiveTier,
  isFree,
  type ProviderLink,
  type SubscriptionWithTier,
  startSubscription,
  updateCurrent,
  withLockedUser,
} from "./store.ts";

/** A payment provider's subscription as the lifecycle reads it (the provider's service maps its own shape). */
export interface ProviderState {
  provider: PaymentProviderName;
  subscriptionId: string;
  /** ended: canceled, unpaid or expired at the provider; the user goes back to member. */
  status: "active" | "trialing" | "past_due" | "ended";
  tierSlug: string;
  billingCycle: BillingCycle;
  periodStart: Date;
  periodEnd: Date;
  anchor: Date;
  /** Set when the subscription ends at a known time (cancel at period end). */
  cancelAt: Date | null;
  cancelledAt: Date | null;
}

/** A webhook event applied together with the change it causes, so a redelivery changes nothing. */
export interface ProviderEvent {
  provider: PaymentProviderName;
  id: string;
  type: string;
}

export interface ProviderSyncResult {
  /** What changed, with the account as the change locked it; null when nothing did. */
  change: Change | null;
  /** The event had been applied before; nothing was read or written. */
  duplicate: boolean;
}

/** Records the event; false when it was recorded before (by a committed or a concurrent delivery). */
export async function recordProviderEvent(db: Database, event: ProviderEvent, now: Date): Promise<boolean> {
  const rows = await queryRows<{ event_id: string }>(
    db,
    sql`INSERT INTO payment_events (provider, event_id, event_type, received_at)
        VALUES (${event.provider}, ${event.id}, ${event.type}, ${now.toISOString()}::timestamptz)
        ON CONFLICT DO NOTHING RETURNING event_id`,
  );
  return rows.length > 0;
}

const link = (state: ProviderState): ProviderLink => ({
  provider: state.provider,
  subscriptionId: state.subscriptionId,
});

/** The status the row takes: a failed payment wins over a pending cancellation, which keeps its end date. */
function rowStatus(state: ProviderState): Exclude<Subscription["status"], "expired"> {
  if (state.status === "past_due") return "past_due";
  if (state.cancelAt) return "cancelled";
  return state.status === "trialing" ? "trialing" : "active";
}

async function knownSubscription(tx: Database, userId: string, state: ProviderState): Promise<boolean> {
  const [row] = await tx
    .select({ id: userSubscriptions.id })
    .from(userSubscriptions)
    .where(and(eq(userSubscriptions.userId, userId), eq(userSubscriptions.paymentProviderId, state.subscriptionId)))
    .limit(1);
  return Boolean(row);
}

/**
 * Maps the provider's current state of a user's subscription onto the lifecycle. Callers re-read
 * that state from the provider first, so the order in which events arrive does not matter: the
 * same state applied twice writes nothing the second time. Rules:
 * - a row no provider bills that is paid (an admin's complimentary tier) is left alone;
 * - from a free row, a live provider subscription tierkit has not seen before starts its tier;
 * - a different tier or cycle starts a new row (upgraded or downgraded, as the levels say);
 * - on the same tier the row follows status, period and cancellation in place, with the history
 *   action naming what changed; an ended subscription returns the user to member.
 */
export function applyProviderState(
  db: Database,
  input: {
    userId: string;
    state: ProviderState | null;
    now: Date;
    graceDays: number;
    event?: ProviderEvent;
    /** The user who caused the change in tierkit (an upgrade), when it was not the provider alone. */
    changedByUserId?: string;
  },
): Promise<ProviderSyncResult> {
  return withLockedUser(
    db,
    input.userId,
    async (tx, current) => {
      if (input.event && !(await recordProviderEvent(tx, input.event, input.now)))
        return { found: null, duplicate: true };
      const found = await mapState(tx, current, input);
      // Access that ended (webhooks, sync, the cron's grace pass) or a tier with fewer seats chosen at
      // the provider takes the seats beyond the plan in the same change; a change that keeps them fits.
      if (found) {
        await fitSeats(
          tx,
          [{ ownerId: input.userId, formerTierSlug: current.tierSlug, changedByUserId: input.changedByUserId ?? null }],
          input.now,
        );
      }
      return { found, duplicate: false };
      // The provider names the user (webhook metadata, the cron's grace pass): a user deleted since is
      // not the caller's own credential failing.
    },
    noSuchUser,
  ).then(({ found, duplicate, account }) => ({ change: found ? { ...found, account } : null, duplicate }));
}

async function mapState(
  tx: Database,
  current: SubscriptionWithTier,
  input: { userId: string; state: ProviderState | null; now: Date; graceDays: number; changedByUserId?: string },
): Promise<Omit<Change, "account"> | null> {
  const { state, now } = input;
  const billedHere = current.paymentProvider !== null;
  if (!billedHere && !isFree(current.tier)) return null;
  const changedBy = input.changedByUserId ?? null;

  if (!state || state.status === "ended") {
    if (!billedHere || (state && state.subscriptionId !== current.paymentProviderId)) return null;
    const member = await findActiveTier(tx, "member");
    const subscription = await startSubscription(
      tx,
      { userId: input.userId, tier: member, billingCycle: null, startsAt: now, now },
      {
        action: "expired",
        fromTierSlug: current.tierSlug,
        toTierSlug: member.slug,
        changedByUserId: changedBy,
        // biome-ignore lint/style/noNonNullAssertion: billed here (checked above), and the table requires an id with a provider.
        provider: { provider: current.paymentProvider!, subscriptionId: current.paymentProviderId! },
      },
      current,
    );
    return { previous: current, subscription };
  }

  if (!billedHere && (await knownSubscription(tx, input.userId, state))) return null;
  const status = rowStatus(state);
  const graceUntil =
    status === "past_due" ? (current.graceUntil ?? new Date(now.getTime() + input.graceDays * 86_400_000)) : null;
  const sameRow =
    billedHere &&
    current.paymentProviderId === state.subscriptionId &&
    current.tierSlug === state.tierSlug &&
    current.billingCycle === state.billingCycle;

  if (!sameRow) {
    const target = await findActiveTier(tx, state.tierSlug);
    const up =
      target.tierLevel > current.tier.tierLevel ||
      (target.slug === current.tierSlug && state.billingCycle === "annual" && current.billingCycle === "monthly");
    const subscription = await startSubscription(
      tx,
      {
        userId: input.userId,
        tier: target,
        billingCycle: state.billingCycle,
        startsAt: now < state.periodEnd ? now : state.periodStart,
        anchor: state.anchor,
        periodEnd: state.periodEnd,
        status,
        cancelledAt: status === "cancelled" ? (state.cancelledAt ?? now) : null,
        endsAt: state.cancelAt,
        graceUntil,
        now,
        provider: link(state),
      },
      {
        action: up || isFree(current.tier) ? "upgraded" : "downgraded",
        fromTierSlug: current.tierSlug,
        toTierSlug: target.slug,
        changedByUserId: changedBy,
      },
      current,
    );
    return { previous: current, subscription };
  }

  const cancelled = status === "cancelled";
  const newPeriod = !same(current.currentPeriodEnd, state.periodEnd);
  const changes = {
    status,
    graceUntil,
    // A row started mid-period (a tier change) keeps its own start until the next period.
    currentPeriodStart: newPeriod ? state.periodStart : current.currentPeriodStart,
    currentPeriodEnd: state.periodEnd,
    billingAnchorAt: state.anchor,
    cancelledAt: cancelled ? (current.cancelledAt ?? state.cancelledAt ?? now) : null,
    // A tierkit-scheduled downgrade keeps its end; a provider cancellation sets its own.
    endsAt: state.cancelAt ?? (current.scheduledTierSlug && !cancelled ? current.endsAt : null),
    scheduledTierSlug: cancelled ? null : current.scheduledTierSlug,
  };
  const action = actionFor(current, changes);
  if (!action) return null;
  const subscription = await updateCurrent(tx, current, changes, now, {
    action,
    fromTierSlug: current.tierSlug,
    toTierSlug: action === "cancelled" ? "member" : current.tierSlug,
    changedByUserId: changedBy,
  });
  return { previous: current, subscription };
}

const same = (a: Date | null, b: Date | null) => (a?.getTime() ?? null) === (b?.getTime() ?? null);

/** What changed on the row, most significant first; null when the provider says what tierkit has. */
function actionFor(
  current: Subscription,
  next: Pick<Subscription, "status" | "currentPeriodStart" | "currentPeriodEnd" | "endsAt" | "graceUntil">,
): ChangeRecord["action"] | null {
  if (next.status === "past_due" && current.status !== "past_due") return "payment_failed";
  if (current.status === "past_due" && next.status !== "past_due") return "payment_recovered";
  if (next.status === "cancelled" && current.status !== "cancelled") return "cancelled";
  if (current.status === "cancelled" && next.status !== "cancelled") return "resumed";
  if (!same(current.currentPeriodEnd, next.currentPeriodEnd) || current.status !== next.status) return "renewed";
  if (!same(current.endsAt, next.endsAt)) return "renewed";
  return null;
}
