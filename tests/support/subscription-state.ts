import { and, asc, eq, inArray } from "drizzle-orm";
import { decodeJwt } from "jose";
import type { Database } from "../../db/client/types.ts";
import { CURRENT_STATUSES, subscriptionHistory, userSubscriptions, users } from "../../db/schema.ts";

/** The tier snapshot a token carries. */
export function tierClaims(token: string) {
  const payload = decodeJwt(token);
  return {
    tier_slug: payload.tier_slug,
    tier_level: payload.tier_level,
    subscription_status: payload.subscription_status,
  };
}

/** The user's current subscription row (active or cancelled) and the user row pointing at it. */
export async function currentState(db: Database, userId: string) {
  const [subscription] = await db
    .select()
    .from(userSubscriptions)
    .where(and(eq(userSubscriptions.userId, userId), inArray(userSubscriptions.status, [...CURRENT_STATUSES])));
  const [user] = await db.select().from(users).where(eq(users.id, userId));
  return { subscription, user };
}

/** Oldest first. */
export function historyOf(db: Database, userId: string) {
  return db
    .select()
    .from(subscriptionHistory)
    .where(eq(subscriptionHistory.userId, userId))
    .orderBy(asc(subscriptionHistory.createdAt), asc(subscriptionHistory.id));
}
