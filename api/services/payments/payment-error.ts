import Stripe from "stripe";
import { ServiceError, type ServiceErrorKind } from "../service-error.ts";

export type PaymentErrorCode =
  | "payment_failed"
  | "payment_provider_unavailable"
  | "payment_provider_error"
  | "price_not_configured"
  | "checkout_required"
  | "already_subscribed"
  | "no_billing_account"
  | "invalid_signature"
  | "not_a_paid_tier"
  | "payments_not_configured";

/** Why a payment operation refused; the kinds map to statuses in the one error handler. */
export class PaymentError extends ServiceError<PaymentErrorCode> {
  constructor(kind: ServiceErrorKind, code: PaymentErrorCode, message: string, options: { retryAfter?: number } = {}) {
    super(kind, code, message, options);
    this.name = "PaymentError";
  }
}

/**
 * Runs a Stripe call and turns its failures into refusals: a declined card is 402 with Stripe's own
 * message, an unreachable or failing Stripe is 503 (retry later). Callers make the call before they
 * write anything, so a refusal leaves no half-written change.
 */
export async function stripeCall<T>(call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (error) {
    if (!(error instanceof Stripe.errors.StripeError)) throw error;

    if (error instanceof Stripe.errors.StripeCardError) {
      throw new PaymentError("payment_failed", "payment_failed", error.message || "The payment was declined.");
    }
    if (
      error instanceof Stripe.errors.StripeConnectionError ||
      error instanceof Stripe.errors.StripeAPIError ||
      error instanceof Stripe.errors.StripeRateLimitError
    ) {
      throw new PaymentError(
        "unavailable",
        "payment_provider_unavailable",
        "Stripe cannot be reached right now; nothing was changed.",
        {
          retryAfter: 30,
        },
      );
    }
    throw new PaymentError("unavailable", "payment_provider_error", `Stripe refused the request: ${error.message}`, {
      retryAfter: 60,
    });
  }
}

/** Stripe's "no such object": an object deleted at Stripe is already in the state a caller wants. */
export const isMissing = (error: unknown) =>
  error instanceof Stripe.errors.StripeInvalidRequestError && error.code === "resource_missing";
