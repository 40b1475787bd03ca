import { type FieldProblem, ServiceError, type ServiceErrorKind } from "../service-error.ts";

/** Why the seats service refused. */
export type SeatErrorCode =
  | "cannot_invite_self"
  | "already_member"
  | "already_invited"
  | "seats_full"
  | "seats_in_use"
  | "no_seats_to_share"
  | "seat_member_cannot_invite"
  | "invitation_not_found"
  | "invitation_expired"
  | "invitation_revoked"
  | "invitation_used"
  | "invitation_for_another_email"
  | "already_in_a_seat"
  | "already_sharing"
  | "not_a_member"
  | "user_not_found";

const KIND: Record<SeatErrorCode, ServiceErrorKind> = {
  cannot_invite_self: "invalid",
  already_member: "conflict",
  already_invited: "conflict",
  seats_full: "conflict",
  seats_in_use: "conflict",
  no_seats_to_share: "forbidden",
  seat_member_cannot_invite: "forbidden",
  invitation_not_found: "not_found",
  invitation_expired: "conflict",
  invitation_revoked: "conflict",
  invitation_used: "conflict",
  invitation_for_another_email: "forbidden",
  already_in_a_seat: "conflict",
  already_sharing: "conflict",
  not_a_member: "not_found",
  user_not_found: "not_found",
};

export class SeatError extends ServiceError<SeatErrorCode> {
  constructor(code: SeatErrorCode, message: string, details?: FieldProblem[]) {
    super(KIND[code], code, message, { details });
    this.name = "SeatError";
  }
}

/** The user an admin names does not exist (the caller's own account missing is `callerGone`). */
export const noSuchSeatUser = () => new SeatError("user_not_found", "There is no such user.");
