// The caller's subscription and its changes as the API contract's JSON (snake_case, ISO times).

import type { z } from "@hono/zod-openapi";
import type { Tier } from "../../../db/schema.ts";
import { type Change, isFree, type SubscriptionWithTier } from "../../services/subscriptions/index.ts";
import type {
  CancellationJson,
  DowngradeJson,
  Subscription,
  Tier as TierJson,
  UpgradeJson,
} from "../schemas/tier-json.ts";

export function iso(value: Date): string;
export function iso(value: Date | null): string | null;
export function iso(value: Date | null): string | null {
  return value ? value.toISOString() : null;
}

/** A tier as GET /api/tiers lists it. */
export function presentTier(tier: Tier): TierJson {
  return {
    slug: tier.slug,
    name: tier.name,
    description: tier.description,
    tier_level: tier.tierLevel,
    monthly_price_cents: tier.monthlyPriceCents,
    annual_price_cents: tier.annualPriceCents,
    is_active: tier.isActive,
    is_paid: !isFree(tier),
    features: tier.features,
  };
}

export function presentSubscription(subscription: SubscriptionWithTier): Subscription {
  const { tier } = subscription;
  return {
    id: subscription.id,
    tier: {
      slug: tier.slug,
      name: tier.name,
      level: tier.tierLevel,
      description: tier.description,
      monthly_price_cents: tier.monthlyPriceCents,
      annual_price_cents: tier.annualPriceCents,
      is_paid: !isFree(tier),
      features: tier.features,
    },
    billing_cycle: subscription.billingCycle,
    status: subscription.status,
    started_at: iso(subscription.startedAt),
    current_period_start: iso(subscription.currentPeriodStart),
    current_period_end: iso(subscription.currentPeriodEnd),
    cancelled_at: iso(subscription.cancelledAt),
    ends_at: iso(subscription.endsAt),
    scheduled_tier_slug: subscription.scheduledTierSlug,
    payment_provider: subscription.paymentProvider,
    grace_until: iso(subscription.graceUntil),
    trial_ends_at: subscription.status === "trialing" ? iso(subscription.currentPeriodEnd) : null,
  };
}

export function presentUpgrade({ previous, subscription }: Change): z.output<typeof UpgradeJson> {
  return {
    subscription_id: subscription.id,
    old_tier: previous.tierSlug,
    new_tier: subscription.tierSlug,
    effective_immediately: true,
    next_billing: iso(subscription.currentPeriodEnd),
  };
}

export function presentDowngrade({ previous, subscription }: Change): z.output<typeof DowngradeJson> {
  const { scheduledTierSlug, endsAt } = subscription;
  // scheduleDowngrade always sets both; the row type cannot say so.
  if (!scheduledTierSlug || !endsAt) throw new Error("a scheduled downgrade has a target tier and an end");
  return {
    subscription_id: subscription.id,
    old_tier: previous.tierSlug,
    new_tier: scheduledTierSlug,
    effective_date: iso(endsAt),
    remains_active_until: iso(endsAt),
  };
}

export function presentCancellation({ subscription }: Change): z.output<typeof CancellationJson> {
  return {
    cancelled: true,
    remains_active_until: iso(subscription.endsAt),
    reverts_to_tier: "member",
  };
}
