/** Why the lifecycle refused an operation; the API maps `kind` to 400/404/409. */
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
  | "user_not_found";

const KIND: Record<SubscriptionErrorCode, "invalid" | "not_found" | "conflict"> = {
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
};

export class SubscriptionError extends Error {
  readonly code: SubscriptionErrorCode;
  readonly kind: "invalid" | "not_found" | "conflict";

  constructor(code: SubscriptionErrorCode, message: string) {
    super(message);
    this.name = "SubscriptionError";
    this.code = code;
    this.kind = KIND[code];
  }
}
