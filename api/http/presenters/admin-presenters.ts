// Admin views: rows from the services turned into the API contract's JSON (snake_case, ISO times).
import type { HistoryRow, listSubscriptions, SubscriptionStats } from "../../services/subscriptions/index.ts";
import type { DirectoryUser } from "../../services/user-directory.ts";
import type {
  AdminSubscriptionRow,
  AdminUserDetail,
  AdminUserRow,
  HistoryEntry,
  SubscriptionStats as StatsJson,
} from "../schemas/admin-json.ts";
import { iso } from "./presenters.ts";

type ListedSubscription = Awaited<ReturnType<typeof listSubscriptions>>["rows"][number];

export function presentAdminSubscription(row: ListedSubscription): AdminSubscriptionRow {
  return {
    id: row.id,
    user_id: row.userId,
    user_email: row.userEmail,
    user_display_name: row.userDisplayName,
    tier_slug: row.tierSlug,
    tier_name: row.tierName,
    tier_level: row.tierLevel,
    billing_cycle: row.billingCycle,
    status: row.status,
    started_at: iso(row.startedAt),
    current_period_end: iso(row.currentPeriodEnd),
    cancelled_at: iso(row.cancelledAt),
    ends_at: iso(row.endsAt),
    payment_provider: row.paymentProvider,
    payment_provider_id: row.paymentProviderId,
    grace_until: iso(row.graceUntil),
    seat_owner_display_name: row.seatOwnerDisplayName,
  };
}

export function presentStats(stats: SubscriptionStats): StatsJson {
  return {
    total_subscriptions: stats.totalSubscriptions,
    active_subscriptions: stats.activeSubscriptions,
    paid_subscriptions: stats.paidSubscriptions,
    free_subscriptions: stats.freeSubscriptions,
    mrr_cents: stats.mrrCents,
    by_tier: stats.byTier,
    by_billing_cycle: { monthly: stats.byBillingCycle.monthly, annual: stats.byBillingCycle.annual },
    seat_members: stats.seatMembers,
  };
}

export function presentHistory(row: HistoryRow): HistoryEntry {
  return {
    id: row.id,
    action: row.action,
    from_tier_slug: row.fromTierSlug,
    to_tier_slug: row.toTierSlug,
    changed_by_user_id: row.changedByUserId,
    changed_by_email: row.changedByEmail,
    is_admin_action: row.isAdminAction,
    reason: row.reason,
    payment_provider: row.paymentProvider,
    provider_subscription_id: row.providerSubscriptionId,
    created_at: iso(row.createdAt),
  };
}

export function presentDirectoryUser(user: DirectoryUser): AdminUserRow {
  return {
    id: user.id,
    email: user.email,
    display_name: user.displayName,
    is_admin: user.isAdmin,
    tier_slug: user.tierSlug,
    tier_name: user.tierName,
    tier_level: user.tierLevel,
    subscription_status: user.subscriptionStatus,
    billing_cycle: user.billingCycle,
    current_period_end: iso(user.currentPeriodEnd),
    created_at: iso(user.createdAt),
    last_login: iso(user.lastLogin),
    seat_owner_id: user.seatOwnerId,
    seat_owner_display_name: user.seatOwnerDisplayName,
  };
}

/** The admin's detail view adds the profile fields to the list row. */
export function presentDirectoryUserDetail(user: DirectoryUser): AdminUserDetail {
  return { ...presentDirectoryUser(user), bio: user.bio, location: user.location, job_title: user.jobTitle };
}
