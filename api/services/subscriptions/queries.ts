import { and, asc, count, desc, eq, getTableColumns, inArray, type SQL, sql } from "drizzle-orm";
import { alias, QueryBuilder } from "drizzle-orm/pg-core";
import { decodeFields, type FieldsRow, type Read, read, rowFromJson, selectedAs } from "../../../db/client/reads.ts";
import type { Database } from "../../../db/client/types.ts";
import {
  CURRENT_STATUS_LIST,
  type HistoryEntry,
  type SubscriptionStatus,
  seatMemberships,
  subscriptionHistory,
  type Tier,
  userSubscriptions,
  users,
  userTiers,
} from "../../../db/schema.ts";
import { type PageRead, pageOrLast } from "../paging.ts";
import { callerGone } from "../service-error.ts";
import { noSuchUser } from "./errors.ts";
import { prepared } from "./prepared.ts";
import { CURRENT_STATUSES, findCurrent, isPaidTierSql, type SubscriptionWithTier } from "./store.ts";

const tiersSelect = (db: Database, activeOnly: boolean) =>
  db
    .select()
    .from(userTiers)
    .where(activeOnly ? eq(userTiers.isActive, true) : undefined)
    .orderBy(asc(userTiers.tierLevel));

export function listTiers(db: Database, options: { activeOnly?: boolean } = {}): Promise<Tier[]> {
  return tiersSelect(db, options.activeOnly ?? false);
}

/** The active catalog on every subscription overview: a prepared statement (see prepared.ts). */
function activeTiers(db: Database): Promise<Tier[]> {
  return prepared(db, "list_active_tiers", (d, name) => tiersSelect(d, true).prepare(name)).execute();
}

export interface SubscriptionOverview {
  subscription: SubscriptionWithTier;
  availableTiers: Tier[];
  /** Active tiers above the current level (the same tier too while it can move monthly -> annual). */
  availableUpgrades: Tier[];
}

/** `catalog`, the active tiers, may come from a cache; without it the catalog is read too. */
export async function getSubscriptionOverview(
  db: Database,
  userId: string,
  catalog?: Tier[],
): Promise<SubscriptionOverview> {
  const [subscription, tiers] = await Promise.all([findCurrent(db, userId), catalog ?? activeTiers(db)]);
  if (!subscription) throw callerGone();
  return { subscription, availableTiers: tiers, availableUpgrades: availableUpgrades(subscription, tiers) };
}

/** The tiers `subscription` can upgrade to, of the active `tiers`. */
export function availableUpgrades(subscription: SubscriptionWithTier, tiers: Tier[]): Tier[] {
  const level = subscription.tier.tierLevel;
  return tiers.filter(
    (tier) =>
      tier.tierLevel > level || (tier.slug === subscription.tierSlug && subscription.billingCycle === "monthly"),
  );
}

export interface ListFilters {
  page: number;
  limit: number;
  tier?: string;
  /** "current": each user's current row (active or cancelled), the rows the stats count. */
  status?: SubscriptionStatus | "current";
}

// Admin reads are built without a Database (they run in the admin's batch, see requireAdmin).
const qb = new QueryBuilder();

/** Every tier, inactive ones too, cheapest first: what an admin's tier filter may name. */
export const allTiers: Read<Tier[]> = {
  statement: qb
    .select(selectedAs(getTableColumns(userTiers)))
    .from(userTiers)
    .orderBy(asc(userTiers.tierLevel))
    .getSQL(),
  decode: (rows) => rows.map((row) => decodeFields(getTableColumns(userTiers), row)),
};

// Newest first, spelled exactly like the indexes (DESC NULLS LAST): a plain DESC means NULLS FIRST,
// which no index matches, and the planner then sorted every row for each page.
// Rows show each user's own subscription; a seat on someone else's plan is marked beside it.
const seatOwner = alias(users, "seat_owner");

const newestFirst = [sql`${userSubscriptions.createdAt} desc nulls last`, sql`${userSubscriptions.id} desc nulls last`];

const listedFields = {
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
  paymentProviderId: userSubscriptions.paymentProviderId,
  graceUntil: userSubscriptions.graceUntil,
  // LEFT JOIN: null without a seat.
  seatOwnerDisplayName: sql<string | null>`${seatOwner.displayName}`,
};

export type ListedSubscription = FieldsRow<typeof listedFields>;

function listWhere(filters: ListFilters): SQL | undefined {
  return and(
    filters.tier ? eq(userSubscriptions.tierSlug, filters.tier) : undefined,
    filters.status === "current"
      ? inArray(userSubscriptions.status, [...CURRENT_STATUSES])
      : filters.status
        ? eq(userSubscriptions.status, filters.status)
        : undefined,
  );
}

const countOf = (where: SQL | undefined) => qb.select({ value: count() }).from(userSubscriptions).where(where);

/**
 * One page of subscriptions in one statement: the page's ids come from an index-only scan
 * (skipping `offset` index entries, not `offset` joined rows), then only those rows are joined; the
 * total rides along as a scalar subquery.
 */
export function subscriptionPage(filters: ListFilters, pageNumber: number): Read<PageRead<ListedSubscription>> {
  const where = listWhere(filters);
  const page = qb
    .select({ id: userSubscriptions.id })
    .from(userSubscriptions)
    .where(where)
    .orderBy(...newestFirst)
    .limit(filters.limit)
    .offset((pageNumber - 1) * filters.limit)
    .as("page");
  const statement = qb
    .select(selectedAs({ ...listedFields, total: sql`(${countOf(where)})` }))
    .from(page)
    .innerJoin(userSubscriptions, eq(userSubscriptions.id, page.id))
    .innerJoin(users, eq(users.id, userSubscriptions.userId))
    .innerJoin(userTiers, eq(userTiers.slug, userSubscriptions.tierSlug))
    .leftJoin(seatMemberships, eq(seatMemberships.memberId, userSubscriptions.userId))
    .leftJoin(seatOwner, eq(seatOwner.id, seatMemberships.ownerId))
    .orderBy(...newestFirst)
    .getSQL();
  return {
    statement,
    decode: (rows) => ({
      rows: rows.map((row) => decodeFields(listedFields, row)),
      total: rows[0] === undefined ? undefined : Number(rows[0].total),
    }),
  };
}

/**
 * The requested page (`first`, already read) or, past the end, the last page: only a page past the
 * end, which has no row to carry the total, costs a count and a second read.
 */
export async function listSubscriptions(db: Database, filters: ListFilters, first: PageRead<ListedSubscription>) {
  return pageOrLast(
    filters.page,
    filters.limit,
    first,
    (page) => read(db, subscriptionPage(filters, page)),
    async () =>
      Number((await db.select({ value: count() }).from(userSubscriptions).where(listWhere(filters)))[0]?.value ?? 0),
  );
}

export interface SubscriptionStats {
  totalSubscriptions: number;
  activeSubscriptions: number;
  /** Current subscriptions on a paid tier (see isFree), cancelled ones included until they end. */
  paidSubscriptions: number;
  freeSubscriptions: number;
  byTier: Record<string, number>;
  byBillingCycle: { monthly: number; annual: number };
  /**
   * Monthly recurring revenue in cents: active (not trialing, past_due or cancelled) rows of a paid
   * tier at their monthly price, annual ones at a twelfth; with a payment provider, only rows it bills.
   */
  mrrCents: number;
  /** Users holding a seat on someone else's plan; byTier counts their own subscriptions. */
  seatMembers: number;
}

/**
 * Counts over current subscriptions (one per user); every tier appears, with 0 when empty. The
 * counts are grouped first, which an index-only scan of user_subscriptions_current_tier_idx
 * answers, and only the handful of groups meets the tiers.
 */
export function subscriptionStats(options: { billedOnly?: boolean } = {}): Read<SubscriptionStats> {
  // `billedOnly`: with a payment provider, a paid row it does not bill (an admin's assignment) is complimentary.
  const paying = options.billedOnly ? sql`AND payment_provider IS NOT NULL` : sql``;
  const statement = sql`SELECT t.slug, ${isPaidTierSql("t")} AS paid,
               coalesce(sum(c.n), 0)::int AS total,
               coalesce(sum(c.n) FILTER (WHERE c.status = 'active'), 0)::int AS active,
               coalesce(sum(c.n) FILTER (WHERE c.billing_cycle = 'monthly'), 0)::int AS monthly,
               coalesce(sum(c.n) FILTER (WHERE c.billing_cycle = 'annual'), 0)::int AS annual,
               coalesce(sum(c.paying * CASE c.billing_cycle WHEN 'monthly' THEN t.monthly_price_cents::numeric
                                                            WHEN 'annual' THEN t.annual_price_cents / 12.0 END)
                          FILTER (WHERE ${isPaidTierSql("t")}), 0)::text AS mrr,
               (SELECT count(*)::int FROM seat_memberships) AS seat_members
        FROM user_tiers t
        LEFT JOIN (SELECT tier_slug, status, billing_cycle, count(*) AS n,
                          count(*) FILTER (WHERE status = 'active' AND billing_cycle IS NOT NULL ${paying}) AS paying
                   FROM user_subscriptions
                   WHERE status IN (${sql.raw(CURRENT_STATUS_LIST)}) GROUP BY tier_slug, status, billing_cycle) c
          ON c.tier_slug = t.slug
        GROUP BY t.slug, t.tier_level, t.monthly_price_cents, t.annual_price_cents ORDER BY t.tier_level`;
  return { statement, decode: (rows) => statsOf(rows as unknown as StatsRow[]) };
}

interface StatsRow {
  slug: string;
  paid: boolean;
  total: number;
  active: number;
  monthly: number;
  annual: number;
  mrr: string;
  seat_members: number;
}

function statsOf(rows: StatsRow[]): SubscriptionStats {
  const stats: SubscriptionStats = {
    totalSubscriptions: 0,
    activeSubscriptions: 0,
    paidSubscriptions: 0,
    freeSubscriptions: 0,
    mrrCents: 0,
    byTier: {},
    byBillingCycle: { monthly: 0, annual: 0 },
    seatMembers: rows[0]?.seat_members ?? 0,
  };
  let mrr = 0;
  for (const row of rows) {
    stats.totalSubscriptions += row.total;
    stats.activeSubscriptions += row.active;
    if (row.paid) stats.paidSubscriptions += row.total;
    else stats.freeSubscriptions += row.total;
    mrr += Number(row.mrr);
    stats.byTier[row.slug] = row.total;
    stats.byBillingCycle.monthly += row.monthly;
    stats.byBillingCycle.annual += row.annual;
  }
  // Rounded once, at the end: a twelfth of an annual price is rarely whole cents.
  stats.mrrCents = Math.round(mrr);
  return stats;
}

export type HistoryRow = HistoryEntry & { changedByEmail: string | null };

const changedBy = alias(users, "changed_by");

/** Newest first. Refuses with user_not_found for an unknown user (an empty list would hide a typo). */
export function historyOf(userId: string): Read<HistoryRow[]> {
  const statement = qb
    .select(
      selectedAs({
        entry: sql`to_jsonb(${subscriptionHistory})`,
        changedByEmail: changedBy.email,
        userExists: users.id,
      }),
    )
    .from(users)
    .leftJoin(subscriptionHistory, eq(subscriptionHistory.userId, users.id))
    .leftJoin(changedBy, eq(changedBy.id, subscriptionHistory.changedByUserId))
    .where(eq(users.id, userId))
    .orderBy(desc(subscriptionHistory.createdAt), desc(subscriptionHistory.id))
    .getSQL();
  return {
    statement,
    decode: (rows) => {
      if (!rows.length) throw noSuchUser();
      return rows.flatMap((row) => {
        const entry = rowFromJson(subscriptionHistory, row.entry);
        return entry ? [{ ...entry, changedByEmail: (row.changedByEmail ?? null) as string | null }] : [];
      });
    },
  };
}
