import { eq, sql } from "drizzle-orm";
import { type Read, read, rowFromJson } from "../../../db/client/reads.ts";
import { type Database, queryRows } from "../../../db/client/types.ts";
import {
  CURRENT_STATUSES,
  type Subscription,
  type Tier,
  userSubscriptions,
  users,
  userTiers,
} from "../../../db/schema.ts";
import { callerGone } from "../service-error.ts";
import { SubscriptionError } from "./errors.ts";
import { prepared } from "./prepared.ts";

export { CURRENT_STATUSES };

import { currentSubscriptionOf } from "../current-subscription.ts";
import {
  type ChangeRecord,
  type NewPeriod,
  type RowChanges,
  type SubscriptionWithTier,
  startWrite,
  updateWrite,
} from "./writes.ts";

export type { ChangeRecord, NewPeriod, ProviderLink, SubscriptionWithTier } from "./writes.ts";

const currentQuery = (db: Database, name: string) =>
  db
    .select({ subscription: userSubscriptions, tier: userTiers })
    .from(userSubscriptions)
    .innerJoin(userTiers, eq(userTiers.slug, userSubscriptions.tierSlug))
    .where(currentSubscriptionOf(sql.placeholder("userId")))
    .prepare(name);

export async function findCurrent(db: Database, userId: string): Promise<SubscriptionWithTier | null> {
  const [row] = await prepared(db, "find_current_subscription", currentQuery).execute({ userId });
  return row ? { ...row.subscription, tier: row.tier } : null;
}

/** The active tier `slug` as a Read (it can share a batch), refusing a missing or retired tier. */
export function activeTierRead(slug: string): Read<Tier> {
  return {
    statement: sql`SELECT to_jsonb(t) AS tier FROM user_tiers t WHERE t.slug = ${slug}`,
    decode: (rows) => {
      const tier = rowFromJson(userTiers, rows[0]?.tier);
      if (!tier) throw new SubscriptionError("tier_not_found", `There is no tier "${slug}".`);
      if (!tier.isActive)
        throw new SubscriptionError("tier_inactive", `The ${tier.name} tier is not offered any more.`);
      return tier;
    },
  };
}

export const findActiveTier = (db: Database, slug: string): Promise<Tier> => read(db, activeTierRead(slug));

/**
 * What makes a tier paid (the one definition): it has a price. `isPaidTierSql` is the same rule for
 * queries that aggregate over tiers; `alias` is the user_tiers alias of that query.
 */
export const isFree = (tier: Tier) => tier.monthlyPriceCents === 0 && tier.annualPriceCents === 0;
export const isPaidTierSql = (alias: string) =>
  sql.raw(`(${alias}.monthly_price_cents > 0 OR ${alias}.annual_price_cents > 0)`);

/**
 * Runs `change` in one transaction holding the user's row lock. Every change to a user's
 * subscription (and the cron, with SKIP LOCKED) takes this lock first, so concurrent calls for one
 * user serialize and each reads the current row only after the previous change committed. The lock
 * and the read stay two statements: one statement's snapshot predates its own lock wait, so it
 * would read the row as it was before the change it waited for. `missing` is the refusal when the
 * user is gone: by default the caller changing their own plan.
 */
export function withLockedUser<T extends object>(
  db: Database,
  userId: string,
  change: (tx: Database, current: SubscriptionWithTier) => Promise<T>,
  missing: () => Error = callerGone,
): Promise<T & { account: LockedAccount }> {
  return db.transaction(async (tx) => {
    const [locked] = await tx.select(accountColumns).from(users).where(eq(users.id, userId)).for("update");
    if (!locked) throw missing();
    const [row] = await tx
      .select({ subscription: userSubscriptions, tier: userTiers })
      .from(userSubscriptions)
      .innerJoin(userTiers, eq(userTiers.slug, userSubscriptions.tierSlug))
      .where(currentSubscriptionOf(userId));
    if (!row) throw new Error(`user ${userId} has no current subscription`);
    return { ...(await change(tx, { ...row.subscription, tier: row.tier })), account: accountOf(locked) };
  });
}

/**
 * The user as the change found it. The lock statement reads it anyway, so callers (a fresh
 * token after the change) need not read the user again.
 */
export interface LockedAccount {
  userId: string;
  email: string;
  displayName: string;
  isAdmin: boolean;
  /** The tier a seat on someone else's plan gives the user (null without one): tokens carry the higher. */
  seatTier: { slug: string; tierLevel: number } | null;
}

/** The columns of users a change reads for its LockedAccount (with `accountOf`). */
export const accountColumns = {
  userId: users.id,
  email: users.email,
  displayName: users.displayName,
  isAdmin: users.isAdmin,
  seatTierSlug: sql<string | null>`seat_tier_slug(${users.id})`,
  seatTierLevel: sql<number | null>`(SELECT tier_level FROM user_tiers WHERE slug = seat_tier_slug(${users.id}))`,
};

export function accountOf(row: {
  userId: string;
  email: string;
  displayName: string;
  isAdmin: boolean;
  seatTierSlug: string | null;
  seatTierLevel: number | null;
}): LockedAccount {
  const { seatTierSlug, seatTierLevel, ...rest } = row;
  return {
    ...rest,
    seatTier: seatTierSlug && seatTierLevel !== null ? { slug: seatTierSlug, tierLevel: seatTierLevel } : null,
  };
}

/** startWrite sent on its own, inside the caller's transaction (the cron, a provider's webhook, sign-up). */
export async function startSubscription(
  db: Database,
  next: NewPeriod,
  history: ChangeRecord,
  replacing?: Subscription,
): Promise<SubscriptionWithTier> {
  const { statement, row } = startWrite(next, history, replacing);
  const [started] = await queryRows<{ id: string }>(db, statement);
  if (!started) throw new Error("insert returned no row");
  return row;
}

/** updateWrite sent on its own, inside the caller's transaction. */
export async function updateCurrent(
  db: Database,
  current: SubscriptionWithTier,
  changes: RowChanges,
  now: Date,
  history: ChangeRecord,
): Promise<SubscriptionWithTier> {
  const { statement, row } = updateWrite(db, current, changes, now, history);
  const [changed] = await queryRows<{ id: string }>(db, statement);
  if (!changed) throw new Error("update returned no row");
  return row;
}
