// The subscription lifecycle service: the only code that changes subscriptions. Every change runs
// in one transaction with its history row; time always comes from the caller (`now`).

export type { ChangeKey, ChangeOutcome } from "./change.ts";
export { type DueResult, processDue } from "./due.ts";
export { noSuchUser, SubscriptionError, type SubscriptionErrorCode } from "./errors.ts";
export {
  assignTier,
  type Caller,
  type Change,
  cancel,
  createMemberSubscription,
  type Mirror,
  resume,
  scheduleDowngrade,
  undoDowngrade,
  upgrade,
} from "./lifecycle.ts";
export { addMonthsUtc, periodContaining, periodEnd } from "./period.ts";
export {
  applyProviderState,
  type ProviderEvent,
  type ProviderState,
  recordProviderEvent,
} from "./provider-state.ts";
export {
  availableUpgrades,
  getHistory,
  getStats,
  getSubscriptionOverview,
  type HistoryRow,
  type ListFilters,
  listSubscriptions,
  listTiers,
  type SubscriptionOverview,
  type SubscriptionStats,
} from "./queries.ts";
export { findCurrent, isFree, type ProviderLink, type SubscriptionWithTier } from "./store.ts";
