import { and, eq, inArray, type SQL, type SQLWrapper } from "drizzle-orm";
import { CURRENT_STATUSES, userSubscriptions } from "../../db/schema.ts";

/**
 * "The user's current subscription" as a condition on user_subscriptions: the one row per user whose
 * status is current (at most one, by user_subscriptions_one_current_key). `userId` is a value, a
 * placeholder or a column to join on. Every read of a current row says it through this.
 */
export function currentSubscriptionOf(userId: string | SQLWrapper): SQL {
  return and(eq(userSubscriptions.userId, userId), inArray(userSubscriptions.status, [...CURRENT_STATUSES])) as SQL;
}
