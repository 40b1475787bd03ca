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
  memberSubscriptionWrite,
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
  allTiers,
  availableUpgrades,
  getSubscriptionOverview,
  type HistoryRow,
  historyOf,
  type ListedSubscription,
  type ListFilters,
  listSubscriptions,
  listTiers,
  type SubscriptionOverview,
  type SubscriptionStats,
  subscriptionPage,
  subscriptionStats,
} from "./queries.ts";
export { activeTierRead, findCurrent, isFree, type ProviderLink, type SubscriptionWithTier } from "./store.ts";
