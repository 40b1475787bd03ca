import { ServiceError, type ServiceErrorKind } from "../service-error.ts";

/** Why the lifecycle refused an operation. */
export type SubscriptionErrorCode =
  | "tier_not_found"
  | "tier_inactive"
  | "invalid_billing_cycle"
  | "not_an_upgrade"
  | "not_a_downgrade"
  | "downgrade_not_scheduled"
  | "nothing_to_cancel"
  | "already_cancelled"
  | "not_cancelled"
  | "user_not_found"
  | "nothing_to_change"
  | "payment_past_due";

const KIND: Record<SubscriptionErrorCode, ServiceErrorKind> = {
  tier_not_found: "not_found",
  tier_inactive: "conflict",
  invalid_billing_cycle: "invalid",
  not_an_upgrade: "conflict",
  not_a_downgrade: "conflict",
  downgrade_not_scheduled: "conflict",
  nothing_to_cancel: "conflict",
  already_cancelled: "conflict",
  not_cancelled: "conflict",
  user_not_found: "not_found",
  nothing_to_change: "conflict",
  payment_past_due: "conflict",
};

export class SubscriptionError extends ServiceError<SubscriptionErrorCode> {
  constructor(code: SubscriptionErrorCode, message: string) {
    super(KIND[code], code, message);
    this.name = "SubscriptionError";
  }
}

/** The user an admin names does not exist (the caller's own account missing is `callerGone`). */
export const noSuchUser = () => new SubscriptionError("user_not_found", "There is no such user.");
