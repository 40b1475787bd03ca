// The payment provider seam. Without PAYMENT_PROVIDER (the default) there is no context and plan
// changes apply at once without payment; with Stripe, these operations take the payment and
// Stripe's state drives the lifecycle through applyProviderState.
import type { AppDeps } from "../../env.ts";
import { createPayments, type StripeContext } from "./context.ts";

export { startCheckout } from "./checkout.ts";
export { createPayments, type StripeContext } from "./context.ts";
export { endExpiredGrace } from "./grace.ts";
export {
  assignMirror,
  cancelMirror,
  downgradeMirror,
  resumeMirror,
  undoDowngradeMirror,
  upgradeMirror,
} from "./mirrors.ts";
export { PaymentError } from "./payment-error.ts";
export { openBillingPortal } from "./portal.ts";
export { type PaymentSettings, paymentSettingsFromEnv } from "./settings.ts";
export { syncUser } from "./sync.ts";
export { handleStripeEvent } from "./webhook.ts";

export const NO_PROVIDER_MESSAGE = "No payment provider is configured: plan changes apply without payment.";

const contexts = new WeakMap<object, StripeContext>();

/** The app's payment context, built once per settings object (so once per isolate on Workers). */
export function paymentsFor(deps: Pick<AppDeps, "payments" | "clock">): StripeContext | null {
  if (!deps.payments) return null;
  let ctx = contexts.get(deps.payments);
  if (!ctx) {
    ctx = createPayments(deps.payments, deps.clock) as StripeContext;
    contexts.set(deps.payments, ctx);
  }
  return ctx;
}
