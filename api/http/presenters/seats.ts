// Seats as the API contract's JSON (snake_case, ISO times).
import {
  effectiveTier,
  type HeldSeat,
  type PendingInvitation,
  type SeatMember,
  type SeatOverview,
} from "../../services/seats/index.ts";
import type { SubscriptionWithTier } from "../../services/subscriptions/index.ts";
import { iso, presentSubscription } from "./presenters.ts";

/** Infinity (a tier without a seat limit) has no JSON spelling; null says unlimited. */
const finite = (value: number) => (Number.isFinite(value) ? value : null);

export const presentSeatMember = (m: SeatMember) => ({
  user_id: m.userId,
  email: m.email,
  display_name: m.displayName,
  joined_at: iso(m.joinedAt),
});

export const presentInvitation = (i: PendingInvitation) => ({
  id: i.id,
  email: i.email,
  created_at: iso(i.createdAt),
  expires_at: iso(i.expiresAt),
});

export const presentHeldSeat = (seat: HeldSeat) => ({
  owner_id: seat.ownerId,
  owner_display_name: seat.ownerDisplayName,
  owner_email: seat.ownerEmail,
  tier_slug: seat.tier.slug,
  tier_name: seat.tier.name,
  joined_at: iso(seat.joinedAt),
});

export function presentSeats(overview: SeatOverview) {
  const { plan } = overview;
  return {
    tier_slug: plan.tier?.slug ?? null,
    seats: finite(plan.seats),
    seats_used: plan.used,
    seats_left: finite(overview.seatsLeft),
    members: overview.members.map(presentSeatMember),
    invitations: overview.invitations.map(presentInvitation),
    seat: overview.seat ? presentHeldSeat(overview.seat) : null,
  };
}

export { finite as finiteSeats };

/**
 * The caller's subscription as GET /api/user/subscription shows it: the tier is the effective one,
 * so a seat whose tier is higher than the caller's own shows the seat's, with `via: "seat"` and the
 * owner's name; billing fields stay those of the caller's own subscription, which they keep paying.
 */
export function presentSubscriptionWithSeat(subscription: SubscriptionWithTier, seat: HeldSeat | null) {
  const viaSeat = seat !== null && effectiveTier(subscription.tier, seat.tier) === seat.tier;
  const presented = presentSubscription(viaSeat ? { ...subscription, tier: seat.tier } : subscription);
  return {
    ...presented,
    via: viaSeat ? ("seat" as const) : ("own" as const),
    seat_owner: viaSeat ? seat.ownerDisplayName : null,
  };
}
