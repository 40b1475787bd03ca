import type { Database } from "../../../db/client/types.ts";
import type { StripeContext } from "./context.ts";
import { customerIdOf } from "./customers.ts";
import { PaymentError, stripeCall } from "./payment-error.ts";

/** A Stripe customer portal session; what the user changes there reaches tierkit through the webhooks. */
export async function openBillingPortal(ctx: StripeContext, db: Database, userId: string): Promise<{ url: string }> {
  const customer = await customerIdOf(db, userId);
  if (!customer)
    throw new PaymentError(
      "conflict",
      "no_billing_account",
      "You have no billing account yet: subscribe through checkout first.",
    );
  const app = ctx.settings.appUrl.replace(/\/$/, "");
  const session = await stripeCall(() =>
    ctx.stripe.billingPortal.sessions.create({ customer, return_url: `${app}/profile` }),
  );
  return { url: session.url };
}
