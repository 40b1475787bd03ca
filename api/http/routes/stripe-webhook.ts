import type { AppDeps } from "../../env.ts";
import { handleStripeEvent, PaymentError, paymentsFor } from "../../services/payments/index.ts";
import { apiRoute, createRouter, errorResponses, jsonResponse } from "../openapi/router.ts";
import { stripeSignatureHeaders, webhookResponse } from "../schemas/payments.ts";

// The body is read raw (the signature covers its exact bytes), so the route declares no body schema
// for the validator to parse; the event itself is checked by stripe-node's constructEventAsync.
const webhook = apiRoute("public", {
  method: "post",
  path: "/stripe",
  tags: ["payments"],
  summary: "Stripe webhook endpoint (signed events: checkout, subscriptions, invoices)",
  description:
    "Verifies the raw body against the Stripe-Signature header (400 invalid_signature when missing or wrong), re-reads the customer's subscription from Stripe and applies it; a redelivered event changes nothing. 404 when no payment provider is configured.",
  request: { headers: stripeSignatureHeaders },
  responses: {
    200: jsonResponse(webhookResponse, "The event was verified; a repeated event changes nothing."),
    ...errorResponses(404),
  },
});

export function stripeWebhookRoutes(deps: AppDeps) {
  return createRouter().openapi(webhook, async (c) => {
    const payments = paymentsFor(deps);
    if (!payments) {
      throw new PaymentError("not_found", "payments_not_configured", "Stripe is not configured on this deployment.");
    }
    const outcome = await handleStripeEvent(payments, c.var.db, {
      rawBody: await c.req.text(),
      signature: c.req.valid("header")["stripe-signature"],
      now: deps.clock(),
    });
    deps.log?.({ level: "info", msg: "stripe.webhook", requestId: c.var.requestId, ...outcome });
    return c.json({ received: true as const, result: outcome.result, changed: outcome.changed }, 200);
  });
}
