import { sql } from "drizzle-orm";
import {
  type AnyPgColumn,
  bigint,
  boolean,
  check,
  index,
  integer,
  jsonb,
  pgTable,
  primaryKey,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from "drizzle-orm/pg-core";

const timestamps = {
  createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
};

export const BILLING_CYCLES = ["monthly", "annual"] as const;
export const SUBSCRIPTION_STATUSES = ["active", "trialing", "past_due", "cancelled", "expired"] as const;
/**
 * The statuses under which a subscription row is the user's current one (migration 0007 spells the
 * same list in the database's indexes, functions and view).
 */
export const CURRENT_STATUSES = ["active", "trialing", "past_due", "cancelled"] as const;
export const PAYMENT_PROVIDERS = ["stripe"] as const;
export const HISTORY_ACTIONS = [
  "created",
  "upgraded",
  "downgrade_scheduled",
  "downgrade_undone",
  "downgraded",
  "cancelled",
  "resumed",
  "expired",
  "renewed",
  "assigned",
  "payment_failed",
  "payment_recovered",
  "seat_invited",
  "seat_joined",
  "seat_left",
  "seat_removed",
] as const;

export type BillingCycle = (typeof BILLING_CYCLES)[number];
export type SubscriptionStatus = (typeof SUBSCRIPTION_STATUSES)[number];
export type HistoryAction = (typeof HISTORY_ACTIONS)[number];
export type PaymentProviderName = (typeof PAYMENT_PROVIDERS)[number];
/** Stripe price lookup keys per cycle; absent means tierkit_<slug>_<cycle>. */
export type PriceLookupKeys = Partial<Record<BillingCycle, string>>;

// A type alias, not an interface: it must be assignable to the API's `Record<string, unknown>` features.
export type TierFeatures = {
  messages_per_day: number | null;
  documents: number | null;
  storage_gb: number;
  seats: number;
  priority_support: boolean;
  api_access: boolean;
};

const inList = (values: readonly string[]) => sql.raw(values.map((v) => `'${v}'`).join(", "));
/** CURRENT_STATUSES as an SQL list, for statements written as text. */
export const CURRENT_STATUS_LIST = CURRENT_STATUSES.map((v) => `'${v}'`).join(", ");
const current = sql.raw(CURRENT_STATUS_LIST);

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

// Infrastructure for the API (migration 0003): counters and replay records must be shared by
// every Worker isolate, so they live in the database rather than in memory.
export const rateLimits = pgTable("rate_limits", {
  key: text("key").primaryKey(),
  windowStart: timestamp("window_start", { withTimezone: true }).notNull(),
  hits: integer("hits").notNull(),
});

export const idempotencyKeys = pgTable(
  "idempotency_keys",
  {
    userId: uuid("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    key: text("key").notNull(),
    requestHash: text("request_hash").notNull(),
    statusCode: integer("status_code").notNull(),
    responseBody: jsonb("response_body").notNull(),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.userId, t.key] }), index("idempotency_keys_created_idx").on(t.createdAt)],
);

// Sessions (migration 0005): one per login, the family of its rotating refresh tokens. Only the
// tokens' SHA-256 is stored; a rotated token keeps its successor's hash for the grace window.
export const authSessions = pgTable(
  "auth_sessions",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    userId: uuid("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    revokedAt: timestamp("revoked_at", { withTimezone: true }),
  },
  (t) => [index("auth_sessions_user_idx").on(t.userId)],
);

export const refreshTokens = pgTable(
  "refresh_tokens",
  {
    tokenHash: text("token_hash").primaryKey(),
    sessionId: uuid("session_id")
      .notNull()
      .references(() => authSessions.id, { onDelete: "cascade" }),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull(),
    expiresAt: timestamp("expires_at", { withTimezone: true }).notNull(),
    rotatedAt: timestamp("rotated_at", { withTimezone: true }),
    successorHash: text("successor_hash"),
  },
  (t) => [index("refresh_tokens_session_idx").on(t.sessionId), index("refresh_tokens_expires_idx").on(t.expiresAt)],
);

// Migration 0007: webhook events already applied, so a redelivered event changes nothing.
export const paymentEvents = pgTable(
  "payment_events",
  {
    provider: text("provider").$type<PaymentProviderName>().notNull(),
    eventId: text("event_id").notNull(),
    eventType: text("event_type").notNull(),
    receivedAt: timestamp("received_at", { withTimezone: true }).notNull(),
  },
  (t) => [
    primaryKey({ name: "payment_events_pk", columns: [t.provider, t.eventId] }),
    index("payment_events_received_idx").on(t.receivedAt),
  ],
);

// Seats (migration 0008): an owner's shared plan, the invitations they sent (only a hash of each
// single-use token is kept) and the members who joined. A user holds at most one seat.
export const seatInvitations = pgTable(
  "seat_invitations",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    ownerId: uuid("owner_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    email: text("email").notNull(),
    tokenHash: text("token_hash").notNull().unique("seat_invitations_token_hash_key"),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull(),
    expiresAt: timestamp("expires_at", { withTimezone: true }).notNull(),
    acceptedAt: timestamp("accepted_at", { withTimezone: true }),
    acceptedByUserId: uuid("accepted_by_user_id").references(() => users.id, { onDelete: "set null" }),
    revokedAt: timestamp("revoked_at", { withTimezone: true }),
  },
  (t) => [
    check("seat_invitations_settled_check", sql`${t.acceptedAt} IS NULL OR ${t.revokedAt} IS NULL`),
    check("seat_invitations_accepted_check", sql`${t.acceptedByUserId} IS NULL OR ${t.acceptedAt} IS NOT NULL`),
    index("seat_invitations_owner_idx").on(t.ownerId, t.createdAt),
  ],
);

export const seatMemberships = pgTable(
  "seat_memberships",
  {
    memberId: uuid("member_id")
      .primaryKey()
      .references(() => users.id, { onDelete: "cascade" }),
    ownerId: uuid("owner_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    invitationId: uuid("invitation_id")
      .unique("seat_memberships_invitation_key")
      .references(() => seatInvitations.id, { onDelete: "set null" }),
    joinedAt: timestamp("joined_at", { withTimezone: true }).notNull(),
  },
  (t) => [
    check("seat_memberships_not_self_check", sql`${t.memberId} <> ${t.ownerId}`),
    index("seat_memberships_owner_idx").on(t.ownerId, t.joinedAt),
  ],
);

// Usage counting (migration 0006): keys that let services count a user's usage, the counters per
// feature and window ('total', or the UTC day 'YYYY-MM-DD'), and the services' Idempotency-Keys.
export const serviceKeys = pgTable("service_keys", {
  id: uuid("id").primaryKey().defaultRandom(),
  name: text("name").notNull(),
  /** SHA-256 of the whole key, hex; the key itself is shown once and never stored. */
  keyHash: text("key_hash").notNull().unique("service_keys_key_hash_key"),
  /** The first characters of the key, so an admin can tell keys apart. */
  keyPrefix: text("key_prefix").notNull(),
  scopes: text("scopes").array().notNull(),
  createdByUserId: uuid("created_by_user_id").references(() => users.id, { onDelete: "set null" }),
  createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  revokedAt: timestamp("revoked_at", { withTimezone: true }),
});

export const usageCounters = pgTable(
  "usage_counters",
  {
    userId: uuid("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    feature: text("feature").notNull(),
    period: text("period").notNull(),
    used: bigint("used", { mode: "number" }).notNull(),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.userId, t.feature, t.period] }),
    check("usage_counters_used_check", sql`${t.used} >= 0`),
    check("usage_counters_period_check", sql`${t.period} = 'total' OR ${t.period} ~ '^\\d{4}-\\d{2}-\\d{2}$'`),
    index("usage_counters_period_idx").on(t.period),
  ],
);

export const serviceIdempotencyKeys = pgTable(
  "service_idempotency_keys",
  {
    serviceKeyId: uuid("service_key_id")
      .notNull()
      .references(() => serviceKeys.id, { onDelete: "cascade" }),
    key: text("key").notNull(),
    requestHash: text("request_hash").notNull(),
    statusCode: integer("status_code").notNull(),
    responseBody: jsonb("response_body").notNull(),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ columns: [t.serviceKeyId, t.key] }),
    index("service_idempotency_keys_created_idx").on(t.createdAt),
  ],
);

export type User = typeof users.$inferSelect;
export type Tier = typeof userTiers.$inferSelect;
export type Subscription = typeof userSubscriptions.$inferSelect;
export type HistoryEntry = typeof subscriptionHistory.$inferSelect;
export type SeatInvitation = typeof seatInvitations.$inferSelect;
export type SeatMembership = typeof seatMemberships.$inferSelect;
export type ServiceKey = typeof serviceKeys.$inferSelect;
