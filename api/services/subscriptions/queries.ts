import { type SQL, and, asc, count, desc, eq, sql } from "drizzle-orm";
import { alias } from "drizzle-orm/pg-core";
import { type Database, queryRows } from "../../../db/client/types.ts";
import {
  type HistoryEntry,
  type SubscriptionStatus,
  type Tier,
  subscriptionHistory,
  userSubscriptions,
  userTiers,
  users,
} from "../../../db/schema.ts";
import { SubscriptionError } from "./errors.ts";
import { type SubscriptionWithTier, findCurrent } from "./store.ts";

export function listTiers(db: Database, options: { activeOnly?: boolean } = {}): Promise<Tier[]> {
  return db
    .select()
    .from(userTiers)
    .where(options.activeOnly ? eq(userTiers.isActive, true) : undefined)
    .orderBy(asc(userTiers.tierLevel));
}

export interface SubscriptionOverview {
  subscription: SubscriptionWithTier;
  availableTiers: Tier[];
  /** Active tiers above the current level (the same tier too while it can move monthly -> annual). */
  availableUpgrades: Tier[];
}

export async function getSubscriptionOverview(db: Database, userId: string): Promise<SubscriptionOverview> {
  const [subscription, tiers] = await Promise.all([findCurrent(db, userId), listTiers(db, { activeOnly: true })]);
  if (!subscription) throw new SubscriptionError("user_not_found", "There is no such user.");
  const level = subscription.tier.tierLevel;
  const availableUpgrades = tiers.filter(
    (tier) =>
      tier.tierLevel > level ||
      (tier.slug === subscription.tierSlug && subscription.billingCycle === "monthly"),
  );
  return { subscription, availableTiers: tiers, availableUpgrades };
}

export interface ListFilters {
  page: number;
  limit: number;
  tier?: string;
  status?: SubscriptionStatus;
}

export async function listSubscriptions(db: Database, filters: ListFilters) {
  const where: SQL | undefined = and(
    filters.tier ? eq(userSubscriptions.tierSlug, filters.tier) : undefined,
    filters.status ? eq(userSubscriptions.status, filters.status) : undefined,
  );
  const [rows, [total]] = await Promise.all([
    db
      .select({
        id: userSubscriptions.id,
        userId: userSubscriptions.userId,
        userEmail: users.email,
        userDisplayName: users.displayName,
        tierSlug: userSubscriptions.tierSlug,
        tierName: userTiers.name,
        tierLevel: userTiers.tierLevel,
        billingCycle: userSubscriptions.billingCycle,
        status: userSubscriptions.status,
        startedAt: userSubscriptions.startedAt,
        currentPeriodEnd: userSubscriptions.currentPeriodEnd,
        cancelledAt: userSubscriptions.cancelledAt,
        endsAt: userSubscriptions.endsAt,
        scheduledTierSlug: userSubscriptions.scheduledTierSlug,
        paymentProvider: userSubscriptions.paymentProvider,
      })
      .from(userSubscriptions)
      .innerJoin(users, eq(users.id, userSubscriptions.userId))
      .innerJoin(userTiers, eq(userTiers.slug, userSubscriptions.tierSlug))
      .where(where)
      .orderBy(desc(userSubscriptions.createdAt), desc(userSubscriptions.id))
      .limit(filters.limit)
      .offset((filters.page - 1) * filters.limit),
    db.select({ value: count() }).from(userSubscriptions).where(where),
  ]);
  return { rows, total: total?.value ?? 0 };
}

export interface SubscriptionStats {
  totalSubscriptions: number;
  activeSubscriptions: number;
  byTier: Record<string, number>;
  byBillingCycle: { monthly: number; annual: number };
}

/** Counts over current subscriptions (one per user); every tier appears, with 0 when empty. */
export async function getStats(db: Database): Promise<SubscriptionStats> {
  const rows = await queryRows<{ slug: string; total: number; active: number; monthly: number; annual: number }>(
    db,
    sql`SELECT t.slug,
               count(s.id)::int AS total,
               count(s.id) FILTER (WHERE s.status = 'active')::int AS active,
               count(s.id) FILTER (WHERE s.billing_cycle = 'monthly')::int AS monthly,
               count(s.id) FILTER (WHERE s.billing_cycle = 'annual')::int AS annual
        FROM user_tiers t
        LEFT JOIN user_subscriptions s ON s.tier_slug = t.slug AND s.status IN ('active', 'cancelled')
        GROUP BY t.slug, t.tier_level ORDER BY t.tier_level`,
  );
  const stats: SubscriptionStats = {
    totalSubscriptions: 0,
    activeSubscriptions: 0,
    byTier: {},
    byBillingCycle: { monthly: 0, annual: 0 },
  };
  for (const row of rows) {
    stats.totalSubscriptions += row.total;
    stats.activeSubscriptions += row.active;
    stats.byTier[row.slug] = row.total;
    stats.byBillingCycle.monthly += row.monthly;
    stats.byBillingCycle.annual += row.annual;
  }
  return stats;
}

export type HistoryRow = HistoryEntry & { changedByEmail: string | null };

/** Newest first. Throws user_not_found for an unknown user (an empty list would hide a typo). */
export async function getHistory(db: Database, userId: string): Promise<HistoryRow[]> {
  const changedBy = alias(users, "changed_by");
  const rows = await db
    .select({ entry: subscriptionHistory, changedByEmail: changedBy.email, userExists: users.id })
    .from(users)
    .leftJoin(subscriptionHistory, eq(subscriptionHistory.userId, users.id))
    .leftJoin(changedBy, eq(changedBy.id, subscriptionHistory.changedByUserId))
    .where(eq(users.id, userId))
    .orderBy(desc(subscriptionHistory.createdAt), desc(subscriptionHistory.id));
  if (!rows.length) throw new SubscriptionError("user_not_found", "There is no such user.");
  return rows.flatMap((row) => (row.entry ? [{ ...row.entry, changedByEmail: row.changedByEmail }] : []));
}
