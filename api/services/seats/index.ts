// Seats: owners of plans with more than one seat share them with the members they invite. The
// lifecycle (../subscriptions) calls assertSeatsFit / fitSeats / fitSeatsOfEnded where an owner's
// tier changes or their access ends; everything else here is called by the seat routes.
export { SeatError, type SeatErrorCode, noSuchSeatUser } from "./errors.ts";
export { effectiveTier } from "./effective-tier.ts";
export { type SeatCut, assertSeatsFit, fitSeats, fitSeatsOfEnded } from "./fit.ts";
export {
  INVITATION_DAYS,
  type InvitationPreview,
  type InvitationState,
  type NewInvitation,
  invite,
  previewInvitation,
  revokeInvitation,
} from "./invitations.ts";
export { type Joined, type Remover, acceptInvitation, leaveSeat, removeMember } from "./membership.ts";
export { type OwnerPlan, seatsOf } from "./plan.ts";
export { type HeldSeat, type PendingInvitation, type SeatMember, type SeatOverview, findCurrentWithSeat, findSeat, getSeatOverview } from "./queries.ts";
