// The subscription lifecycle service: the only code that changes subscriptions. Every change runs
// in one transaction with its history row; time always comes from the caller (`now`).
export { SubscriptionError, type SubscriptionErrorCode, noSuchUser } from "./errors.ts";
export { addMonthsUtc, periodContaining, periodEnd } from "./period.ts";
export { type SubscriptionWithTier, findCurrent, isFree } from "./store.ts";
export {
  type ProviderEvent,
  type ProviderState,
  applyProviderState,
  recordProviderEvent,
} from "./provider-state.ts";
export { type ProviderLink } from "./store.ts";
export {
  type Change,
  type Mirror,
  assignTier,
  cancel,
  createMemberSubscription,
  resume,
  scheduleDowngrade,
  undoDowngrade,
  upgrade,
} from "./lifecycle.ts";
export { type DueResult, processDue } from "./due.ts";
export {
  type HistoryRow,
  type ListFilters,
  type SubscriptionOverview,
  type SubscriptionStats,
  availableUpgrades,
  getHistory,
  getStats,
  getSubscriptionOverview,
  listSubscriptions,
  listTiers,
} from "./queries.ts";
