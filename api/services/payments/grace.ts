import { and, eq, lte } from "drizzle-orm";
import type { Database } from "../../../db/client/types.ts";
import { userSubscriptions } from "../../../db/schema.ts";
import { applyProviderState } from "../subscriptions/index.ts";
import type { StripeContext } from "./context.ts";
import { isMissing, stripeCall } from "./payment-error.ts";
import { stateOf } from "./subscription-state.ts";
import { planReader } from "./sync.ts";

export interface GraceResult {
  ended: number;
  /** Rows left past_due because Stripe could not be reached; the next run tries again. */
  failed: number;
}

/**
 * Ends the past_due subscriptions whose grace ran out: the Stripe subscription is cancelled first
 * (so Stripe stops retrying the card), then the lifecycle returns the user to member. A row whose
 * cancellation fails stays past_due for the next run.
 */
export async function endExpiredGrace(
  ctx: StripeContext,
  db: Database,
  options: { now: Date; limit?: number },
): Promise<GraceResult> {
  const due = await db
    .select({ userId: userSubscriptions.userId, subscriptionId: userSubscriptions.paymentProviderId })
    .from(userSubscriptions)
    .where(
      and(
        eq(userSubscriptions.status, "past_due"),
        eq(userSubscriptions.paymentProvider, "stripe"),
        lte(userSubscriptions.graceUntil, options.now),
      ),
    )
    .limit(options.limit ?? 100);
  const result: GraceResult = { ended: 0, failed: 0 };
  if (!due.length) return result;
  const planOf = await planReader(db);
  for (const row of due) {
    const id = row.subscriptionId as string;
    try {
      const cancelled = await stripeCall(() =>
        ctx.stripe.subscriptions.cancel(id).catch((error: unknown) => {
          if (isMissing(error)) return null;
          throw error;
        }),
      );
      const state = cancelled ? stateOf(cancelled, planOf) : null;
      const { change } = await applyProviderState(db, {
        userId: row.userId,
        state: state ? { ...state, status: "ended" } : null,
        now: options.now,
        graceDays: ctx.settings.graceDays,
      });
      if (change) result.ended += 1;
    } catch {
      result.failed += 1;
    }
  }
  return result;
}
