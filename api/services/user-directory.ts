// Read-only queries behind the admin's user list; subscriptions are changed only by ./subscriptions.
import { and, count, desc, eq, ilike, type SQL, sql } from "drizzle-orm";
import { alias } from "drizzle-orm/pg-core";
import type { Database } from "../../db/client/types.ts";
import { seatMemberships, userSubscriptions, users, userTiers } from "../../db/schema.ts";
import { pageOrLast } from "./paging.ts";
import type { SubscriptionWithTier } from "./subscriptions/index.ts";

// Tiers shown are each user's own subscription's; a seat on someone else's plan is marked beside it.
const seatOwner = alias(users, "seat_owner");

const directoryColumns = {
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
  seatOwnerId: seatOwner.id,
  seatOwnerDisplayName: seatOwner.displayName,
};

export interface DirectoryFilters {
  page: number;
  limit: number;
  tier?: string;
  /** Case-insensitive substring of the email address. */
  q?: string;
}

const escapeLike = (text: string) => text.replace(/[\\%_]/g, (char) => `\\${char}`);

export async function listUsers(db: Database, filters: DirectoryFilters) {
  const where: SQL | undefined = and(
    filters.tier ? eq(users.currentTierSlug, filters.tier) : undefined,
    filters.q ? ilike(users.email, `%${escapeLike(filters.q)}%`) : undefined,
  );
  const countAll = () => db.select({ value: count() }).from(users).where(where);
  // The total rides along as a scalar subquery (one statement); only a page past the end, which
  // has no row to carry it, costs a second count, and then the last page is read instead.
  const readPage = async (page: number) => {
    const found = await db
      .select({ ...directoryColumns, total: sql<number>`(${countAll()})`.mapWith(Number) })
      .from(users)
      // users.subscription_id always names the current subscription, so one join finds it.
      .innerJoin(userSubscriptions, eq(userSubscriptions.id, users.subscriptionId))
      .innerJoin(userTiers, eq(userTiers.slug, userSubscriptions.tierSlug))
      .leftJoin(seatMemberships, eq(seatMemberships.memberId, users.id))
      .leftJoin(seatOwner, eq(seatOwner.id, seatMemberships.ownerId))
      .where(where)
      .orderBy(desc(users.createdAt), desc(users.id))
      .limit(filters.limit)
      .offset((page - 1) * filters.limit);
    return { rows: found.map(({ total: _, ...row }) => row), total: found[0]?.total };
  };
  return pageOrLast(filters.page, filters.limit, readPage, async () => (await countAll())[0]?.value ?? 0);
}

export type DirectoryUser = Awaited<ReturnType<typeof listUsers>>["rows"][number];

/** The user with their current subscription row and its tier, in one statement. */
export async function findUser(
  db: Database,
  userId: string,
): Promise<(DirectoryUser & { subscription: SubscriptionWithTier }) | null> {
  const [row] = await db
    .select({ ...directoryColumns, current: userSubscriptions, tier: userTiers })
    .from(users)
    .innerJoin(userSubscriptions, eq(userSubscriptions.id, users.subscriptionId))
    .innerJoin(userTiers, eq(userTiers.slug, userSubscriptions.tierSlug))
    .leftJoin(seatMemberships, eq(seatMemberships.memberId, users.id))
    .leftJoin(seatOwner, eq(seatOwner.id, seatMemberships.ownerId))
    .where(eq(users.id, userId));
  if (!row) return null;
  const { current, tier, ...user } = row;
  return { ...user, subscription: { ...current, tier } };
}
