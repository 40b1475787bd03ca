// The database schema, one module per part (db/schema/*); everything imports it from here.
export * from "./schema/infrastructure.ts";
export * from "./schema/plans.ts";
export * from "./schema/seats.ts";
export * from "./schema/usage.ts";
export {
  BILLING_CYCLES,
  type BillingCycle,
  CURRENT_STATUS_LIST,
  CURRENT_STATUSES,
  HISTORY_ACTIONS,
  type HistoryAction,
  PAYMENT_PROVIDERS,
  type PaymentProviderName,
  type PriceLookupKeys,
  SUBSCRIPTION_STATUSES,
  type SubscriptionStatus,
  type TierFeatures,
} from "./schema/values.ts";

import type { subscriptionHistory, userSubscriptions, users, userTiers } from "./schema/plans.ts";
import type { seatInvitations, seatMemberships } from "./schema/seats.ts";
import type { serviceKeys } from "./schema/usage.ts";

export type User = typeof users.$inferSelect;
export type Tier = typeof userTiers.$inferSelect;
export type Subscription = typeof userSubscriptions.$inferSelect;
export type HistoryEntry = typeof subscriptionHistory.$inferSelect;
export type SeatInvitation = typeof seatInvitations.$inferSelect;
export type SeatMembership = typeof seatMemberships.$inferSelect;
export type ServiceKey = typeof serviceKeys.$inferSelect;
