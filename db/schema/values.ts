import { sql } from "drizzle-orm";
import { timestamp } from "drizzle-orm/pg-core";

// The values the tables constrain their columns to, and the column sets they share.

export const timestamps = {
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

export const inList = (values: readonly string[]) => sql.raw(values.map((v) => `'${v}'`).join(", "));
/** CURRENT_STATUSES as an SQL list, for statements written as text. */
export const CURRENT_STATUS_LIST = CURRENT_STATUSES.map((v) => `'${v}'`).join(", ");
export const current = sql.raw(CURRENT_STATUS_LIST);
