// The API's JSON shapes as the web app relies on them. api.server.ts assigns the typed client's
// inferred bodies to these, so a drift between the API and this contract fails typechecking.

export const TIER_SLUGS = ["member", "pro", "business", "elite", "family"] as const;
export type TierSlug = (typeof TIER_SLUGS)[number];
export type BillingCycle = "monthly" | "annual";
export type SubscriptionStatus = "active" | "cancelled" | "expired";

export interface TierFeatures {
  messages_per_day: number | null;
  documents: number | null;
  storage_gb: number;
  seats: number;
  priority_support: boolean;
  api_access: boolean;
}

export interface Tier {
  slug: string;
  name: string;
  description: string;
  tier_level: number;
  monthly_price_cents: number;
  annual_price_cents: number;
  is_active: boolean;
  features: TierFeatures;
}

export interface User {
  id: string;
  email: string;
  display_name: string;
  is_admin: boolean;
  bio: string | null;
  location: string | null;
  job_title: string | null;
  tier_slug: string;
  tier_level: number;
  subscription_status: string;
  created_at: string;
  last_login: string | null;
}

export interface Subscription {
  id: string;
  tier: {
    slug: string;
    name: string;
    level: number;
    description: string;
    monthly_price_cents: number;
    annual_price_cents: number;
    features: TierFeatures;
  };
  billing_cycle: BillingCycle | null;
  status: SubscriptionStatus;
  started_at: string;
  current_period_start: string;
  current_period_end: string | null;
  cancelled_at: string | null;
  ends_at: string | null;
  scheduled_tier_slug: string | null;
}

/** GET /api/user/subscription: the tier is the effective one, a seat's when that is higher. */
export interface EffectiveSubscription extends Subscription {
  via: "own" | "seat";
  seat_owner: string | null;
}

export interface SubscriptionOverview {
  subscription: EffectiveSubscription;
  available_tiers: Tier[];
  available_upgrades: Tier[];
  can_upgrade: boolean;
}

export interface AdminSubscriptionRow {
  id: string;
  user_id: string;
  user_email: string;
  user_display_name: string;
  tier_slug: string;
  tier_name: string;
  tier_level: number;
  billing_cycle: BillingCycle | null;
  status: SubscriptionStatus;
  started_at: string;
  current_period_end: string | null;
  cancelled_at: string | null;
  ends_at: string | null;
  payment_provider: string | null;
}

export interface AdminUserRow {
  id: string;
  email: string;
  display_name: string;
  is_admin: boolean;
  tier_slug: string;
  tier_name: string;
  tier_level: number;
  subscription_status: string;
  billing_cycle: BillingCycle | null;
  current_period_end: string | null;
  created_at: string;
  last_login: string | null;
  /** Set when the user holds a seat on someone else's plan; the tier is their own. */
  seat_owner_id: string | null;
  seat_owner_display_name: string | null;
}

export interface SeatMember {
  user_id: string;
  email: string;
  display_name: string;
  joined_at: string;
}

export interface SeatInvitation {
  id: string;
  email: string;
  created_at: string;
  expires_at: string;
}

export interface HeldSeat {
  owner_id: string;
  owner_display_name: string;
  owner_email: string;
  tier_slug: string;
  tier_name: string;
  joined_at: string;
}

export interface Seats {
  tier_slug: string | null;
  /** null: unlimited. */
  seats: number | null;
  seats_used: number;
  seats_left: number | null;
  members: SeatMember[];
  invitations: SeatInvitation[];
  seat: HeldSeat | null;
}

export interface InvitationPreview {
  email: string;
  status: "pending" | "accepted" | "revoked" | "expired";
  expires_at: string;
  owner_display_name: string;
  tier_name: string | null;
}

export interface Page<T> {
  data: T[];
  total: number;
  page: number;
  limit: number;
}

export interface SubscriptionStats {
  total_subscriptions: number;
  active_subscriptions: number;
  by_tier: Record<TierSlug, number>;
  by_billing_cycle: Record<BillingCycle, number>;
}

export interface HistoryEntry {
  id: string;
  action: string;
  from_tier_slug: string | null;
  to_tier_slug: string | null;
  changed_by_user_id: string | null;
  changed_by_email: string | null;
  is_admin_action: boolean;
  reason: string | null;
  created_at: string;
}

export function isTierSlug(value: unknown): value is TierSlug {
  return typeof value === "string" && (TIER_SLUGS as readonly string[]).includes(value);
}
