// The account's effective tier as every account read takes it, and the claims a token carries:
// one definition for the user service's reads and for a lifecycle change's batch.
import { and, eq, type SQLWrapper, sql } from "drizzle-orm";
import type { Database } from "../../db/client/types.ts";
import { userSubscriptions, users, userTiers } from "../../db/schema.ts";
import type { TokenClaims } from "../lib/tokens/claims.ts";
import { currentSubscriptionOf } from "./current-subscription.ts";
import { entitlementsOf } from "./entitlements/features.ts";
import { liveSession } from "./sessions/live-session.ts";
import type { Account } from "./users.ts";

export const currentTier = {
  // A user always has a current subscription; the fallbacks mirror get_user_tier() for safety.
  tierSlug: sql<string>`coalesce(${userTiers.slug}, 'member')`,
  tierLevel: sql<number>`coalesce(${userTiers.tierLevel}, 1)`,
  subscriptionStatus: sql<string>`coalesce(${userSubscriptions.status}, 'active')`,
  tierFeatures: sql<Record<string, unknown>>`coalesce(${userTiers.features}, '{}'::jsonb)`,
  // A trial's end is its period's end; tokens and the profile carry it while the status is trialing.
  trialEndsAt:
    sql<Date | null>`CASE WHEN ${userSubscriptions.status} = 'trialing' THEN ${userSubscriptions.currentPeriodEnd} END`.mapWith(
      userSubscriptions.currentPeriodEnd,
    ),
};

export const tierOf = (row: {
  tierSlug: string;
  tierLevel: number;
  subscriptionStatus: string;
  tierFeatures: Record<string, unknown>;
  trialEndsAt: Date | null;
}) => ({
  tierSlug: row.tierSlug,
  tierLevel: row.tierLevel,
  subscriptionStatus: row.subscriptionStatus,
  tierFeatures: row.tierFeatures,
  trialEndsAt: row.trialEndsAt,
});

/**
 * Where every account read takes its tier: get_user_tier(), the database's effective tier (the
 * user's own or their seat's while the owner's plan gives access, the higher), so tokens, the
 * profile and tier checks agree.
 */
export function effectiveTierJoin(userId: SQLWrapper) {
  return sql`${userTiers.slug} = get_user_tier(${userId})`;
}

export const currentSubscriptionJoin = currentSubscriptionOf(users.id);

/** A token's claims but its session: what the account says now. */
export type AccountClaims = Omit<TokenClaims, "sid">;

export function claimsOf(account: Account): AccountClaims {
  return {
    userId: account.id,
    email: account.email,
    displayName: account.displayName,
    isAdmin: account.isAdmin,
    tierSlug: account.tierSlug,
    tierLevel: account.tierLevel,
    subscriptionStatus: account.subscriptionStatus,
    ent: entitlementsOf(account.tierFeatures),
    ver: account.planVersion,
    trialEndsAt: trialClaim(account.trialEndsAt),
  };
}

/** Only while trialing (absent otherwise, as in tokens from before trials). */
function trialClaim(trialEndsAt: Date | null): string | undefined {
  return trialEndsAt ? trialEndsAt.toISOString() : undefined;
}

/**
 * The claims as stored now: one query for getTokenClaims and for the batch of a lifecycle change,
 * which reads them after its writes (so its token costs no round trip of its own). Every column is
 * aliased, so the batch's raw rows carry the same names that `claimsFromRow` reads.
 */
export function tokenClaimsQuery(db: Database, userId: string, sid?: string) {
  return db
    .select({
      user_id: sql<string>`${users.id}`.as("user_id"),
      email: sql<string>`${users.email}`.as("email"),
      display_name: sql<string>`${users.displayName}`.as("display_name"),
      is_admin: sql<boolean>`${users.isAdmin}`.as("is_admin"),
      ver: sql<number>`${users.planVersion}`.as("ver"),
      tier_slug: currentTier.tierSlug.as("tier_slug"),
      tier_level: currentTier.tierLevel.as("tier_level"),
      subscription_status: currentTier.subscriptionStatus.as("subscription_status"),
      tier_features: currentTier.tierFeatures.as("tier_features"),
      trial_ends_at: sql<
        Date | string | null
      >`CASE WHEN ${userSubscriptions.status} = 'trialing' THEN ${userSubscriptions.currentPeriodEnd} END`.as(
        "trial_ends_at",
      ),
    })
    .from(users)
    .leftJoin(userSubscriptions, currentSubscriptionJoin)
    .leftJoin(userTiers, effectiveTierJoin(users.id))
    .where(and(eq(users.id, userId), liveSession(users.id, sid)));
}

type ClaimsRow = Awaited<ReturnType<typeof tokenClaimsQuery>>[number];

/** A row of tokenClaimsQuery, from drizzle or raw from a batch (where a time may arrive as text). */
export function claimsFromRow(row: ClaimsRow): AccountClaims {
  return {
    userId: row.user_id,
    email: row.email,
    displayName: row.display_name,
    isAdmin: row.is_admin,
    tierSlug: row.tier_slug,
    tierLevel: Number(row.tier_level),
    subscriptionStatus: row.subscription_status,
    ent: entitlementsOf(row.tier_features),
    ver: Number(row.ver),
    trialEndsAt: row.trial_ends_at === null ? undefined : new Date(row.trial_ends_at).toISOString(),
  };
}

/** The claims as stored now; null when the user is gone or `sid` has ended. */
export async function getTokenClaims(db: Database, userId: string, sid?: string): Promise<AccountClaims | null> {
  const [row] = await tokenClaimsQuery(db, userId, sid);
  return row ? claimsFromRow(row) : null;
}
