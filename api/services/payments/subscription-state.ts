import type Stripe from "stripe";
import type { BillingCycle } from "../../../db/schema.ts";
import type { ProviderState } from "../subscriptions/index.ts";

const LIVE: Stripe.Subscription.Status[] = ["active", "trialing", "past_due"];
const ENDED: Stripe.Subscription.Status[] = ["canceled", "unpaid", "incomplete_expired", "paused"];

const at = (seconds: number) => new Date(seconds * 1000);

/**
 * A Stripe subscription as the lifecycle reads it. Since API 2025-03-31 the period lives on the
 * subscription's items. Null for what grants nothing yet (incomplete: the first payment is
 * pending) or a price tierkit does not sell.
 */
export function stateOf(
  subscription: Stripe.Subscription,
  planOf: (price: Stripe.Price) => { tierSlug: string; billingCycle: BillingCycle } | null,
): ProviderState | null {
  const item = subscription.items.data[0];
  if (!item) return null;
  const plan = planOf(item.price);
  if (!plan) return null;
  const ended = ENDED.includes(subscription.status);
  if (!ended && !LIVE.includes(subscription.status)) return null;
  const periodEnd = at(item.current_period_end);
  return {
    provider: "stripe",
    subscriptionId: subscription.id,
    status: ended ? "ended" : (subscription.status as "active" | "trialing" | "past_due"),
    tierSlug: plan.tierSlug,
    billingCycle: plan.billingCycle,
    periodStart: at(item.current_period_start),
    periodEnd,
    anchor: at(subscription.billing_cycle_anchor),
    cancelAt: subscription.cancel_at
      ? at(subscription.cancel_at)
      : subscription.cancel_at_period_end
        ? periodEnd
        : null,
    cancelledAt: subscription.canceled_at ? at(subscription.canceled_at) : null,
  };
}

/** The one of a customer's subscriptions that decides the user's tier: the newest live one, else the newest. */
export function decisiveSubscription(subscriptions: Stripe.Subscription[]): Stripe.Subscription | null {
  const newestFirst = [...subscriptions].sort((a, b) => b.created - a.created);
  return newestFirst.find((s) => LIVE.includes(s.status)) ?? newestFirst[0] ?? null;
}
