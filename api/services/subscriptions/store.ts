import { and, eq, inArray } from "drizzle-orm";
import type { Database } from "../../../db/client/types.ts";
import {
  type BillingCycle,
  type HistoryAction,
  type Subscription,
  type Tier,
  subscriptionHistory,
  userSubscriptions,
  userTiers,
  users,
} from "../../../db/schema.ts";
import { SubscriptionError } from "./errors.ts";
import { periodEnd } from "./period.ts";

/** The statuses under which a subscription row is the user's current one. */
export const CURRENT_STATUSES = ["active", "cancelled"] as const;

export type SubscriptionWithTier = Subscription & { tier: Tier };

export async function findCurrent(db: Database, userId: string): Promise<SubscriptionWithTier | null> {
  const [row] = await db
    .select({ subscription: userSubscriptions, tier: userTiers })
    .from(userSubscriptions)
    .innerJoin(userTiers, eq(userTiers.slug, userSubscriptions.tierSlug))
    .where(and(eq(userSubscriptions.userId, userId), inArray(userSubscriptions.status, [...CURRENT_STATUSES])));
  return row ? { ...row.subscription, tier: row.tier } : null;
}

export async function findActiveTier(db: Database, slug: string): Promise<Tier> {
  const [tier] = await db.select().from(userTiers).where(eq(userTiers.slug, slug));
  if (!tier) throw new SubscriptionError("tier_not_found", `There is no tier "${slug}".`);
  if (!tier.isActive) throw new SubscriptionError("tier_inactive", `The ${tier.name} tier is not offered any more.`);
  return tier;
}

export const isFree = (tier: Tier) => tier.monthlyPriceCents === 0 && tier.annualPriceCents === 0;

/**
 * Runs `change` in one transaction holding the user's row lock. Every change to a user's
 * subscription (and the cron, with SKIP LOCKED) takes this lock first, so concurrent calls for one
 * user serialize and each reads the current row only after the previous change committed.
 */
export async function withLockedUser<T>(
  db: Database,
  userId: string,
  change: (tx: Database, current: SubscriptionWithTier) => Promise<T>,
): Promise<T> {
  return db.transaction(async (tx) => {
    const [locked] = await tx.select({ id: users.id }).from(users).where(eq(users.id, userId)).for("update");
    if (!locked) throw new SubscriptionError("user_not_found", "There is no such user.");
    const current = await findCurrent(tx, userId);
    if (!current) throw new Error(`user ${userId} has no current subscription`);
    return change(tx, current);
  });
}

export interface HistoryInput {
  userId: string;
  subscriptionId: string;
  action: HistoryAction;
  fromTierSlug: string | null;
  toTierSlug: string | null;
  changedByUserId?: string | null;
  isAdminAction?: boolean;
  reason?: string | null;
  at: Date;
}

export async function recordHistory(db: Database, entry: HistoryInput): Promise<void> {
  await db.insert(subscriptionHistory).values({
    userId: entry.userId,
    subscriptionId: entry.subscriptionId,
    action: entry.action,
    fromTierSlug: entry.fromTierSlug,
    toTierSlug: entry.toTierSlug,
    changedByUserId: entry.changedByUserId ?? null,
    isAdminAction: entry.isAdminAction ?? false,
    reason: entry.reason ?? null,
    createdAt: entry.at,
  });
}

export interface NewPeriod {
  userId: string;
  tier: Tier;
  billingCycle: BillingCycle | null;
  /** When this row's tier starts; also the billing anchor of a paid row unless `anchor` is given. */
  startsAt: Date;
  anchor?: Date;
  now: Date;
}

/** Inserts a new current row and points the user at it. */
export async function startSubscription(db: Database, next: NewPeriod): Promise<SubscriptionWithTier> {
  const paid = next.billingCycle !== null;
  const anchor = paid ? (next.anchor ?? next.startsAt) : null;
  const [row] = await db
    .insert(userSubscriptions)
    .values({
      userId: next.userId,
      tierSlug: next.tier.slug,
      billingCycle: next.billingCycle,
      status: "active",
      startedAt: next.startsAt,
      currentPeriodStart: next.startsAt,
      currentPeriodEnd: anchor && next.billingCycle ? firstEndAfter(anchor, next.billingCycle, next.startsAt) : null,
      billingAnchorAt: anchor,
      createdAt: next.now,
      updatedAt: next.now,
    })
    .returning();
  if (!row) throw new Error("insert returned no row");
  await db
    .update(users)
    .set({ subscriptionId: row.id, currentTierSlug: row.tierSlug, updatedAt: next.now })
    .where(eq(users.id, next.userId));
  return { ...row, tier: next.tier };
}

function firstEndAfter(anchor: Date, cycle: BillingCycle, start: Date): Date {
  let index = 1;
  while (periodEnd(anchor, cycle, index) <= start) index += 1;
  return periodEnd(anchor, cycle, index);
}

/** Ends the current row now; the caller starts its successor in the same transaction. */
export async function endSubscription(db: Database, current: Subscription, now: Date): Promise<void> {
  await db
    .update(userSubscriptions)
    .set({ status: "expired", endsAt: now, scheduledTierSlug: null, updatedAt: now })
    .where(eq(userSubscriptions.id, current.id));
}

export async function updateCurrent(
  db: Database,
  current: SubscriptionWithTier,
  changes: Partial<Pick<Subscription, "status" | "cancelledAt" | "endsAt" | "scheduledTierSlug">>,
  now: Date,
): Promise<SubscriptionWithTier> {
  const [row] = await db
    .update(userSubscriptions)
    .set({ ...changes, updatedAt: now })
    .where(eq(userSubscriptions.id, current.id))
    .returning();
  if (!row) throw new Error("update returned no row");
  return { ...row, tier: current.tier };
}
