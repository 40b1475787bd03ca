import { z } from "@hono/zod-openapi";
import { createMiddleware } from "hono/factory";
import type { AppDeps, AppEnv } from "../../env.ts";
import {
  NO_PROVIDER_MESSAGE,
  openBillingPortal,
  PaymentError,
  paymentsFor,
  startCheckout,
  syncUser,
} from "../../services/payments/index.ts";
import { callerGone } from "../../services/service-error.ts";
import { findCurrent } from "../../services/subscriptions/index.ts";
import { findUserRights } from "../../services/users.ts";
import { requireAuth } from "../middleware/auth.ts";
import { apiRoute, createRouter, errorResponses, jsonBody, jsonResponse } from "../openapi/router.ts";
import { presentSubscription } from "../presenters/presenters.ts";
import { checkoutBody, redirectResponse } from "../schemas/payments.ts";
import { SubscriptionJson } from "../schemas/tier-json.ts";
import { issueToken } from "../session-token.ts";

const TAGS = ["payments"];

const notConfigured = () => new PaymentError("conflict", "payments_not_configured", NO_PROVIDER_MESSAGE);

const syncResponse = z
  .strictObject({
    success: z.literal(true),
    changed: z.boolean(),
    subscription: SubscriptionJson,
    token: z.string(),
  })
  .openapi("SubscriptionSync");

/** The caller's payment endpoints, mounted at /api/user. */
export function paymentRoutes(deps: AppDeps) {
  // These endpoints may answer before reading the caller (no provider, a bad body), so a token that
  // outlived its user is caught first, as on every other route: 401, not a refusal about the request.
  const callerExists = createMiddleware<AppEnv>(async (c, next) => {
    if (!(await findUserRights(c.var.db, c.var.auth.userId, c.var.auth.sid))) throw callerGone();
    await next();
  });
  const authenticated = requireAuth(deps);

  const checkout = apiRoute("user", {
    method: "post",
    path: "/subscription/checkout",
    tags: TAGS,
    summary: "Start a Stripe Checkout for a paid tier (from the free tier)",
    description:
      "Answers the URL of a Stripe Checkout Session for the plan; an open session for the same plan is reused. 400 for a free tier, 404 for a tier not on offer, 409 when already subscribed or no payment provider is configured, 503 when Stripe cannot be reached.",
    // On the routes themselves: a router-wide use() would run for every /api/user route once mounted.
    middleware: [authenticated, callerExists] as const,
    request: { body: jsonBody(checkoutBody) },
    responses: {
      200: jsonResponse(redirectResponse, "The Checkout Session's URL."),
      ...errorResponses(404, 409),
    },
  });

  const sync = apiRoute("user", {
    method: "post",
    path: "/subscription/sync",
    tags: TAGS,
    summary: "Re-read the caller's subscription from Stripe now (after returning from Checkout)",
    description:
      "Applies the caller's subscription as Stripe has it now (rather than waiting for the webhook) and answers with it and a fresh token. 409 when no payment provider is configured.",
    middleware: [authenticated, callerExists] as const,
    responses: {
      200: jsonResponse(syncResponse, "The subscription as Stripe has it, with a fresh token."),
      ...errorResponses(409),
    },
  });

  const portal = apiRoute("user", {
    method: "post",
    path: "/billing-portal",
    tags: TAGS,
    summary: "Open the Stripe customer portal (payment method, invoices, plan changes)",
    description:
      "Answers the URL of a Stripe billing portal session; what the user changes there reaches tierkit through the webhooks. 409 without a billing account yet or without a payment provider.",
    middleware: [authenticated, callerExists] as const,
    responses: {
      200: jsonResponse(redirectResponse, "The portal session's URL."),
      ...errorResponses(409),
    },
  });

  return createRouter()
    .openapi(checkout, async (c) => {
      const payments = paymentsFor(deps);
      if (!payments) throw notConfigured();
      const { tier_slug, billing_cycle } = c.req.valid("json");
      const { userId, email, displayName } = c.var.auth;
      const { url } = await startCheckout(payments, c.var.db, {
        userId,
        email,
        displayName,
        tierSlug: tier_slug,
        billingCycle: billing_cycle,
        now: deps.clock(),
      });
      return c.json({ success: true as const, url }, 200);
    })
    .openapi(sync, async (c) => {
      const payments = paymentsFor(deps);
      if (!payments) throw notConfigured();
      const { userId } = c.var.auth;
      const { change } = await syncUser(payments, c.var.db, { userId, now: deps.clock() });
      const subscription = change?.subscription ?? (await findCurrent(c.var.db, userId));
      if (!subscription) throw callerGone();
      const token = await issueToken(deps, c.var.db, userId, c.var.auth.sid);
      return c.json(
        { success: true as const, changed: Boolean(change), subscription: presentSubscription(subscription), token },
        200,
      );
    })
    .openapi(portal, async (c) => {
      const payments = paymentsFor(deps);
      if (!payments) throw notConfigured();
      return c.json(
        { success: true as const, ...(await openBillingPortal(payments, c.var.db, c.var.auth.userId)) },
        200,
      );
    });
}
