import { createRoute } from "@hono/zod-openapi";
import type { AppDeps } from "../../env.ts";
import { PaymentError, handleStripeEvent, paymentsFor } from "../../services/payments/index.ts";
import { errorResponses, createRouter, jsonResponse } from "../openapi/router.ts";
import { stripeSignatureHeaders, webhookResponse } from "../schemas/payments.ts";

// The body is read raw (the signature covers its exact bytes), so the route declares no body schema
// for the validator to parse; the event itself is checked by stripe-node's constructEventAsync.
const webhook = createRoute({
  method: "post",
  path: "/stripe",
  summary: "Stripe webhook endpoint (signed events: checkout, subscriptions, invoices)",
  request: { headers: stripeSignatureHeaders },
  responses: {
    200: jsonResponse(webhookResponse, "The event was verified; a repeated event changes nothing."),
    ...errorResponses(400, 404, 413, 415, 503),
  },
});

export function stripeWebhookRoutes(deps: AppDeps) {
  return createRouter().openapi(webhook, async (c) => {
    const payments = paymentsFor(deps);
    if (!payments)
      throw new PaymentError("not_found", "payments_not_configured", "Stripe is not configured on this deployment.");
    const outcome = await handleStripeEvent(payments, c.var.db, {
      rawBody: await c.req.text(),
      signature: c.req.valid("header")["stripe-signature"],
      now: deps.clock(),
    });
    deps.log?.({
      level: "info",
      msg: "stripe.webhook",
      requestId: c.var.requestId,
      ...outcome,
    });
    return c.json(
      {
        received: true as const,
        result: outcome.result,
        changed: outcome.changed,
      },
      200
    );
  });
}
