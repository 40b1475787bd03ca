// Read-only queries behind the admin's user list; subscriptions are changed only by ./subscriptions.
// They are built without a Database because they run in the admin's batch (see requireAdmin).
import { and, count, desc, eq, ilike, type SQL, sql } from "drizzle-orm";
import { alias, QueryBuilder } from "drizzle-orm/pg-core";
import { decodeFields, type FieldsRow, type Read, read, rowFromJson, selectedAs } from "../../db/client/reads.ts";
import type { Database } from "../../db/client/types.ts";
import { seatMemberships, userSubscriptions, users, userTiers } from "../../db/schema.ts";
import { type PageRead, pageOrLast } from "./paging.ts";
import type { SubscriptionWithTier } from "./subscriptions/index.ts";

const qb = new QueryBuilder();

// Tiers shown are each user's own subscription's; a seat on someone else's plan is marked beside it.
const seatOwner = alias(users, "seat_owner");

const directoryFields = {
  id: users.id,
  email: users.email,
  displayName: users.displayName,
  isAdmin: users.isAdmin,
  bio: users.bio,
  location: users.location,
  jobTitle: users.jobTitle,
  tierSlug: userTiers.slug,
  tierName: userTiers.name,
  tierLevel: userTiers.tierLevel,
  subscriptionStatus: userSubscriptions.status,
  billingCycle: userSubscriptions.billingCycle,
  currentPeriodEnd: userSubscriptions.currentPeriodEnd,
  createdAt: users.createdAt,
  lastLogin: users.lastLogin,
  stripeCustomerId: users.stripeCustomerId,
  // LEFT JOIN: null without a seat.
  seatOwnerId: sql<string | null>`${seatOwner.id}`,
  seatOwnerDisplayName: sql<string | null>`${seatOwner.displayName}`,
};

export type DirectoryUser = FieldsRow<typeof directoryFields>;

export interface DirectoryFilters {
  page: number;
  limit: number;
  tier?: string;
  /** Case-insensitive substring of the email address. */
  q?: string;
}

const escapeLike = (text: string) => text.replace(/[\\%_]/g, (char) => `\\${char}`);

function directoryWhere(filters: DirectoryFilters): SQL | undefined {
  return and(
    filters.tier ? eq(users.currentTierSlug, filters.tier) : undefined,
    filters.q ? ilike(users.email, `%${escapeLike(filters.q)}%`) : undefined,
  );
}

/** One page of users in one statement; the total rides along as a scalar subquery. */
export function userPage(filters: DirectoryFilters, page: number): Read<PageRead<DirectoryUser>> {
  const where = directoryWhere(filters);
  const statement = qb
    .select(selectedAs({ ...directoryFields, total: sql`(${qb.select({ value: count() }).from(users).where(where)})` }))
    .from(users)
    // users.subscription_id always names the current subscription, so one join finds it.
    .innerJoin(userSubscriptions, eq(userSubscriptions.id, users.subscriptionId))
    .innerJoin(userTiers, eq(userTiers.slug, userSubscriptions.tierSlug))
    .leftJoin(seatMemberships, eq(seatMemberships.memberId, users.id))
    .leftJoin(seatOwner, eq(seatOwner.id, seatMemberships.ownerId))
    .where(where)
    .orderBy(desc(users.createdAt), desc(users.id))
    .limit(filters.limit)
    .offset((page - 1) * filters.limit)
    .getSQL();
  return {
    statement,
    decode: (rows) => ({
      rows: rows.map((row) => decodeFields(directoryFields, row)),
      total: rows[0] === undefined ? undefined : Number(rows[0].total),
    }),
  };
}

/**
 * The requested page (`first`, already read) or, past the end, the last page: only a page past the
 * end, which has no row to carry the total, costs a count and a second read.
 */
export function listUsers(db: Database, filters: DirectoryFilters, first: PageRead<DirectoryUser>) {
  return pageOrLast(
    filters.page,
    filters.limit,
    first,
    (page) => read(db, userPage(filters, page)),
    async () => (await db.select({ value: count() }).from(users).where(directoryWhere(filters)))[0]?.value ?? 0,
  );
}

/** The user with their current subscription row and its tier, in one statement; null when unknown. */
export function directoryUser(userId: string): Read<(DirectoryUser & { subscription: SubscriptionWithTier }) | null> {
  const statement = qb
    .select(
      selectedAs({
        ...directoryFields,
        current: sql`to_jsonb(${userSubscriptions})`,
        tier: sql`to_jsonb(${userTiers})`,
      }),
    )
    .from(users)
    .innerJoin(userSubscriptions, eq(userSubscriptions.id, users.subscriptionId))
    .innerJoin(userTiers, eq(userTiers.slug, userSubscriptions.tierSlug))
    .leftJoin(seatMemberships, eq(seatMemberships.memberId, users.id))
    .leftJoin(seatOwner, eq(seatOwner.id, seatMemberships.ownerId))
    .where(eq(users.id, userId))
    .getSQL();
  return {
    statement,
    decode: ([row]) => {
      const current = row && rowFromJson(userSubscriptions, row.current);
      const tier = row && rowFromJson(userTiers, row.tier);
      if (!row || !current || !tier) return null;
      return { ...decodeFields(directoryFields, row), subscription: { ...current, tier } };
    },
  };
}
