import { sql } from "drizzle-orm";
import {
  type AnyPgColumn,
  boolean,
  check,
  index,
  integer,
  jsonb,
  pgTable,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from "drizzle-orm/pg-core";
import {
  BILLING_CYCLES,
  type BillingCycle,
  current,
  HISTORY_ACTIONS,
  type HistoryAction,
  inList,
  type PaymentProviderName,
  type PriceLookupKeys,
  SUBSCRIPTION_STATUSES,
  type SubscriptionStatus,
  type TierFeatures,
  timestamps,
} from "./values.ts";

// Users, the tier catalog, their subscriptions (one row per period of one tier) and the history.

export const users = pgTable(
  "users",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    email: text("email").notNull(),
    displayName: text("display_name").notNull(),
    passwordHash: text("password_hash").notNull(),
    isAdmin: boolean("is_admin").notNull().default(false),
    bio: text("bio"),
    location: text("location"),
    jobTitle: text("job_title"),
    lastLogin: timestamp("last_login", { withTimezone: true }),
    // Added by migration 0002; always equal to the user's current subscription.
    subscriptionId: uuid("subscription_id").references((): AnyPgColumn => userSubscriptions.id),
    currentTierSlug: text("current_tier_slug").references((): AnyPgColumn => userTiers.slug),
    // Added by migration 0005; bumped by a trigger on every subscription_history insert (tokens' `ver`).
    planVersion: integer("plan_version").notNull().default(0),
    // Migration 0007: the Stripe customer, created before the user's first checkout and reused.
    stripeCustomerId: text("stripe_customer_id"),
    ...timestamps,
  },
  (t) => [
    uniqueIndex("users_email_lower_key").on(sql`lower(${t.email})`),
    uniqueIndex("users_stripe_customer_key").on(t.stripeCustomerId).where(sql`${t.stripeCustomerId} IS NOT NULL`),
    index("users_current_tier_idx").on(t.currentTierSlug),
  ],
);

export const userTiers = pgTable(
  "user_tiers",
  {
    slug: text("slug").primaryKey(),
    name: text("name").notNull(),
    description: text("description").notNull(),
    tierLevel: integer("tier_level").notNull().unique("user_tiers_tier_level_key"),
    monthlyPriceCents: integer("monthly_price_cents").notNull().default(0),
    annualPriceCents: integer("annual_price_cents").notNull().default(0),
    isActive: boolean("is_active").notNull().default(true),
    features: jsonb("features").$type<TierFeatures>().notNull(),
    trialDays: integer("trial_days").notNull().default(0),
    priceLookupKeys: jsonb("price_lookup_keys").$type<PriceLookupKeys>(),
    ...timestamps,
  },
  (t) => [
    check("user_tiers_trial_days_check", sql`${t.trialDays} >= 0`),
    check("user_tiers_prices_check", sql`${t.monthlyPriceCents} >= 0 AND ${t.annualPriceCents} >= 0`),
    check("user_tiers_level_check", sql`${t.tierLevel} > 0`),
  ],
);

export const userSubscriptions = pgTable(
  "user_subscriptions",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    userId: uuid("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    tierSlug: text("tier_slug")
      .notNull()
      .references(() => userTiers.slug),
    billingCycle: text("billing_cycle").$type<BillingCycle>(),
    status: text("status").$type<SubscriptionStatus>().notNull(),
    startedAt: timestamp("started_at", { withTimezone: true }).notNull(),
    currentPeriodStart: timestamp("current_period_start", { withTimezone: true }).notNull(),
    currentPeriodEnd: timestamp("current_period_end", { withTimezone: true }),
    // Periods are counted from this instant so the anchor day survives short months and
    // downgrades at period end (Jan 31 -> Feb 29 -> Mar 31).
    billingAnchorAt: timestamp("billing_anchor_at", { withTimezone: true }),
    cancelledAt: timestamp("cancelled_at", { withTimezone: true }),
    endsAt: timestamp("ends_at", { withTimezone: true }),
    scheduledTierSlug: text("scheduled_tier_slug").references(() => userTiers.slug),
    paymentProvider: text("payment_provider").$type<PaymentProviderName>(),
    paymentProviderId: text("payment_provider_id"),
    // past_due only: access stays until then, and the subscription ends if still unpaid.
    graceUntil: timestamp("grace_until", { withTimezone: true }),
    ...timestamps,
  },
  (t) => [
    check("user_subscriptions_billing_cycle_check", sql`${t.billingCycle} IN (${inList(BILLING_CYCLES)})`),
    check("user_subscriptions_status_check", sql`${t.status} IN (${inList(SUBSCRIPTION_STATUSES)})`),
    // A free subscription has no billing cycle and no period end; a paid one has both.
    check(
      "user_subscriptions_period_check",
      sql`(${t.billingCycle} IS NULL) = (${t.currentPeriodEnd} IS NULL) AND (${t.billingCycle} IS NULL) = (${t.billingAnchorAt} IS NULL)`,
    ),
    check(
      "user_subscriptions_period_order_check",
      sql`${t.currentPeriodEnd} IS NULL OR ${t.currentPeriodEnd} > ${t.currentPeriodStart}`,
    ),
    check(
      "user_subscriptions_cancelled_check",
      sql`${t.status} <> 'cancelled' OR (${t.cancelledAt} IS NOT NULL AND ${t.endsAt} IS NOT NULL)`,
    ),
    check(
      "user_subscriptions_scheduled_check",
      sql`${t.scheduledTierSlug} IS NULL OR (${t.status} <> 'cancelled' AND ${t.endsAt} IS NOT NULL)`,
    ),
    check(
      "user_subscriptions_grace_check",
      sql`(${t.status} = 'past_due') = (${t.graceUntil} IS NOT NULL) OR ${t.status} = 'expired'`,
    ),
    check("user_subscriptions_provider_check", sql`(${t.paymentProvider} IS NULL) = (${t.paymentProviderId} IS NULL)`),
    uniqueIndex("user_subscriptions_one_current_key").on(t.userId).where(sql`${t.status} IN (${current})`),
    index("user_subscriptions_due_ends_idx")
      .on(t.endsAt)
      .where(sql`${t.status} IN (${current}) AND ${t.endsAt} IS NOT NULL`),
    index("user_subscriptions_due_renewal_idx")
      .on(t.currentPeriodEnd)
      .where(
        sql`${t.status} = 'active' AND ${t.endsAt} IS NULL AND ${t.billingCycle} IS NOT NULL AND ${t.paymentProvider} IS NULL`,
      ),
    index("user_subscriptions_grace_idx").on(t.graceUntil).where(sql`${t.status} = 'past_due'`),
    index("user_subscriptions_provider_idx").on(t.paymentProviderId).where(sql`${t.paymentProviderId} IS NOT NULL`),
    index("user_subscriptions_admin_list_idx").on(t.status, t.tierSlug, t.createdAt.desc(), t.id.desc()),
    index("user_subscriptions_created_idx").on(t.createdAt.desc(), t.id.desc()),
    // The admin list's default (current rows, newest first) as an index-only scan: migration 0011.
    index("user_subscriptions_current_created_idx")
      .on(t.createdAt.desc(), t.id.desc())
      .where(sql`${t.status} IN (${current})`),
    index("user_subscriptions_user_idx").on(t.userId),
    // Covers the admin stats: counting current rows per tier, status and cycle reads only this index.
    index("user_subscriptions_current_tier_idx")
      .on(t.tierSlug, t.status, t.billingCycle)
      .where(sql`${t.status} IN (${current})`),
  ],
);

export const subscriptionHistory = pgTable(
  "subscription_history",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    userId: uuid("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    subscriptionId: uuid("subscription_id")
      .notNull()
      .references(() => userSubscriptions.id, { onDelete: "cascade" }),
    action: text("action").$type<HistoryAction>().notNull(),
    fromTierSlug: text("from_tier_slug").references(() => userTiers.slug),
    toTierSlug: text("to_tier_slug").references(() => userTiers.slug),
    changedByUserId: uuid("changed_by_user_id").references(() => users.id),
    isAdminAction: boolean("is_admin_action").notNull().default(false),
    reason: text("reason"),
    paymentProvider: text("payment_provider").$type<PaymentProviderName>(),
    providerSubscriptionId: text("provider_subscription_id"),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    check("subscription_history_action_check", sql`${t.action} IN (${inList(HISTORY_ACTIONS)})`),
    index("subscription_history_user_idx").on(t.userId, t.createdAt.desc()),
    index("subscription_history_subscription_idx").on(t.subscriptionId),
  ],
);
