import { z } from "@hono/zod-openapi";
import { billingCycle, tierSlug } from "./subscription.ts";

export const checkoutBody = z
  .strictObject({ tier_slug: tierSlug, billing_cycle: billingCycle })
  .openapi("CheckoutRequest");

export const redirectResponse = z
  .strictObject({ success: z.literal(true), url: z.url().openapi({ description: "Where to send the browser." }) })
  .openapi("PaymentRedirect");

export const webhookResponse = z
  .strictObject({
    received: z.literal(true),
    result: z.enum(["ignored", "duplicate", "applied", "no_user"]),
    changed: z.boolean(),
  })
  .openapi("WebhookReceipt");

export const stripeSignatureHeaders = z.object({
  "stripe-signature": z.string().max(2000).optional().openapi({ description: "Stripe's signature of the raw body." }),
});
