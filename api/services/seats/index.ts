// Seats: owners of plans with more than one seat share them with the members they invite. The
// lifecycle (../subscriptions) calls assertSeatsFit / fitSeats / fitSeatsOfEnded where an owner's
// tier changes or their access ends; everything else here is called by the seat routes.

export { effectiveTier } from "./effective-tier.ts";
export { noSuchSeatUser, SeatError, type SeatErrorCode } from "./errors.ts";
export { assertSeatsFit, fitSeats, fitSeatsOfEnded, type SeatCut, type SeatUse } from "./fit.ts";
export {
  INVITATION_DAYS,
  type InvitationPreview,
  type InvitationState,
  invite,
  type NewInvitation,
  previewInvitation,
  revokeInvitation,
} from "./invitations.ts";
export { acceptInvitation, type Joined, leaveSeat, type Remover, removeMember } from "./membership.ts";
export { type OwnerPlan, seatsInUse, seatsOf } from "./plan.ts";
export {
  findCurrentWithSeat,
  getSeatOverview,
  type HeldSeat,
  type PendingInvitation,
  type SeatMember,
  type SeatOverview,
  seatOverviewRead,
} from "./queries.ts";
