// Response bodies about tiers and the caller's subscription: the presenters return these types and
// the routes declare these schemas, so the OpenAPI document, the handlers and the web agree.
import { z } from "@hono/zod-openapi";
import { BILLING_CYCLES, SUBSCRIPTION_STATUSES } from "../../../db/schema.ts";

export const isoTime = z.iso.datetime();

/**
 * A tier's features as the catalog stores them: any keys (`{}` included). Entitlements are read from
 * them by services/entitlements/features.ts; clients show what they find.
 */
export const TierFeaturesJson = z.record(z.string(), z.unknown()).openapi("TierFeatures");

export const TierJson = z
  .strictObject({
    slug: z.string(),
    name: z.string(),
    description: z.string(),
    tier_level: z.int(),
    monthly_price_cents: z.int(),
    annual_price_cents: z.int(),
    is_active: z.boolean(),
    /** Whether the tier costs money (see isFree in services/subscriptions): the web never infers it from a slug. */
    is_paid: z.boolean(),
    features: TierFeaturesJson,
  })
  .openapi("Tier");

export const BillingCycleJson = z.enum(BILLING_CYCLES);
export const SubscriptionStatusJson = z.enum(SUBSCRIPTION_STATUSES);

/** The subscription's fields, shared with the seat-aware EffectiveSubscription (schemas/seats.ts). */
export const SubscriptionShape = {
  id: z.uuid(),
  tier: z.strictObject({
    slug: z.string(),
    name: z.string(),
    level: z.int(),
    description: z.string(),
    monthly_price_cents: z.int(),
    annual_price_cents: z.int(),
    is_paid: z.boolean(),
    features: TierFeaturesJson,
  }),
  billing_cycle: BillingCycleJson.nullable(),
  status: SubscriptionStatusJson,
  started_at: isoTime,
  current_period_start: isoTime,
  current_period_end: isoTime.nullable(),
  cancelled_at: isoTime.nullable(),
  ends_at: isoTime.nullable(),
  scheduled_tier_slug: z.string().nullable(),
  payment_provider: z.string().nullable(),
  grace_until: isoTime.nullable().openapi({ description: "past_due only: access stays until then." }),
  trial_ends_at: isoTime.nullable(),
};

export const SubscriptionJson = z.strictObject(SubscriptionShape).openapi("Subscription");

export const UpgradeJson = z.strictObject({
  subscription_id: z.uuid(),
  old_tier: z.string(),
  new_tier: z.string(),
  effective_immediately: z.literal(true),
  next_billing: isoTime.nullable(),
});

export const DowngradeJson = z.strictObject({
  subscription_id: z.uuid(),
  old_tier: z.string(),
  new_tier: z.string(),
  effective_date: isoTime,
  remains_active_until: isoTime,
});

export const CancellationJson = z.strictObject({
  cancelled: z.literal(true),
  remains_active_until: isoTime.nullable(),
  reverts_to_tier: z.literal("member"),
});

export type TierFeatures = z.output<typeof TierFeaturesJson>;
export type Tier = z.output<typeof TierJson>;
export type Subscription = z.output<typeof SubscriptionJson>;
export type BillingCycle = z.output<typeof BillingCycleJson>;
