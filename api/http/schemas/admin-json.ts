// Response bodies of the admin endpoints; the admin presenters return these types.
import { z } from "@hono/zod-openapi";
import { HISTORY_ACTIONS } from "../../../db/schema.ts";
import { BillingCycleJson, isoTime, SubscriptionJson, SubscriptionStatusJson } from "./tier-json.ts";

export const AdminSubscriptionRowJson = z
  .strictObject({
    id: z.uuid(),
    user_id: z.uuid(),
    user_email: z.string(),
    user_display_name: z.string(),
    tier_slug: z.string(),
    tier_name: z.string(),
    tier_level: z.int(),
    billing_cycle: BillingCycleJson.nullable(),
    status: SubscriptionStatusJson,
    started_at: isoTime,
    current_period_end: isoTime.nullable(),
    cancelled_at: isoTime.nullable(),
    ends_at: isoTime.nullable(),
    payment_provider: z.string().nullable(),
    payment_provider_id: z.string().nullable(),
    grace_until: isoTime.nullable(),
    /** Set when the user also holds a seat on someone else's plan. */
    seat_owner_display_name: z.string().nullable(),
  })
  .openapi("AdminSubscriptionRow");

const count = z.int().min(0);

export const SubscriptionStatsJson = z
  .strictObject({
    total_subscriptions: count,
    active_subscriptions: count,
    /** Current subscriptions on a paid tier, cancelled ones included until they end. */
    paid_subscriptions: count,
    free_subscriptions: count,
    /** Every tier in the catalog, 0 when empty, in tier-level order. */
    by_tier: z.record(z.string(), count),
    by_billing_cycle: z.strictObject({ monthly: count, annual: count }),
    mrr_cents: count.openapi({
      description:
        "Monthly recurring revenue in cents: active (not trialing) subscriptions of a paid tier, annual ones at a twelfth; with a payment provider, only what it bills.",
    }),
    /** Users holding a seat on someone else's plan. */
    seat_members: count,
  })
  .openapi("SubscriptionStats");

export const HistoryEntryJson = z
  .strictObject({
    id: z.uuid(),
    action: z.enum(HISTORY_ACTIONS),
    from_tier_slug: z.string().nullable(),
    to_tier_slug: z.string().nullable(),
    changed_by_user_id: z.uuid().nullable(),
    changed_by_email: z.string().nullable(),
    is_admin_action: z.boolean(),
    reason: z.string().nullable(),
    payment_provider: z.string().nullable(),
    provider_subscription_id: z.string().nullable(),
    created_at: isoTime,
  })
  .openapi("HistoryEntry");

const directoryFields = {
  id: z.uuid(),
  email: z.string(),
  display_name: z.string(),
  is_admin: z.boolean(),
  tier_slug: z.string(),
  tier_name: z.string(),
  tier_level: z.int(),
  subscription_status: SubscriptionStatusJson,
  billing_cycle: BillingCycleJson.nullable(),
  current_period_end: isoTime.nullable(),
  created_at: isoTime,
  last_login: isoTime.nullable(),
  /** Set when the user holds a seat on someone else's plan; the tier is their own. */
  seat_owner_id: z.uuid().nullable(),
  seat_owner_display_name: z.string().nullable(),
};

export const AdminUserRowJson = z.strictObject(directoryFields).openapi("AdminUserRow");

export const AdminUserDetailJson = z
  .strictObject({
    ...directoryFields,
    bio: z.string().nullable(),
    location: z.string().nullable(),
    job_title: z.string().nullable(),
  })
  .openapi("AdminUserDetail");

/** The admin's view of a subscription also names the Stripe subscription and customer billing it. */
export const AdminSubscriptionJson = SubscriptionJson.extend({
  payment_provider_id: z.string().nullable(),
  stripe_customer_id: z.string().nullable(),
}).openapi("AdminSubscription");

/** One page of a list: the rows and where they sit in the whole. */
export const pageOf = <Row extends z.ZodType>(row: Row) =>
  z.strictObject({
    success: z.literal(true),
    data: z.array(row),
    total: count,
    page: z.int().min(1),
    limit: z.int().min(1),
  });

export type AdminSubscriptionRow = z.output<typeof AdminSubscriptionRowJson>;
export type AdminUserRow = z.output<typeof AdminUserRowJson>;
export type AdminUserDetail = z.output<typeof AdminUserDetailJson>;
export type SubscriptionStats = z.output<typeof SubscriptionStatsJson>;
export type HistoryEntry = z.output<typeof HistoryEntryJson>;
