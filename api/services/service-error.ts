/**
 * Why a service refused: the kind says what sort of refusal it is (the HTTP layer maps each kind to
 * one status in one place), the code is the stable machine-readable reason clients switch on.
 * Services throw these and know nothing of HTTP.
 */
export type ServiceErrorKind =
  | "invalid"
  | "unauthenticated"
  | "payment_failed"
  | "forbidden"
  | "not_found"
  | "conflict"
  | "limit_reached"
  | "unavailable";

export interface FieldProblem {
  path: string;
  message: string;
}

export class ServiceError<Code extends string = string> extends Error {
  readonly kind: ServiceErrorKind;
  readonly code: Code;
  readonly details?: FieldProblem[];
  /** Seconds after which a retry may succeed (limit_reached, unavailable). */
  readonly retryAfter?: number;

  constructor(
    kind: ServiceErrorKind,
    code: Code,
    message: string,
    options: { details?: FieldProblem[]; retryAfter?: number } = {},
  ) {
    super(message);
    this.name = "ServiceError";
    this.kind = kind;
    this.code = code;
    this.details = options.details;
    this.retryAfter = options.retryAfter;
  }
}

/**
 * The account acting on its own behalf no longer exists (its token outlived it). Whichever service
 * finds that out refuses the same way, like any other invalid credential.
 */
export const callerGone = () =>
  new ServiceError("unauthenticated", "invalid_token", "The token's user no longer exists or its session has ended.");
