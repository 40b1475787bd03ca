import { createRoute, z } from "@hono/zod-openapi";
import {
  NO_PROVIDER_MESSAGE,
  PaymentError,
  openBillingPortal,
  paymentsFor,
  startCheckout,
  syncUser,
} from "../../services/payments/index.ts";
import { findCurrent } from "../../services/subscriptions/index.ts";
import { createMiddleware } from "hono/factory";
import type { AppDeps, AppEnv } from "../../env.ts";
import { findUserRights } from "../../services/users.ts";
import { callerMustExist, goneUser, requireAuth } from "../middleware/auth.ts";
import { errorResponses, createRouter, jsonBody, jsonResponse } from "../openapi/router.ts";
import { presentSubscription } from "../presenters/presenters.ts";
import { checkoutBody, redirectResponse } from "../schemas/payments.ts";
import { changeToken, issueToken } from "../session-token.ts";

const notConfigured = () => new PaymentError("conflict", "payments_not_configured", NO_PROVIDER_MESSAGE);

const checkout = createRoute({
  method: "post",
  path: "/subscription/checkout",
  summary: "Start a Stripe Checkout for a paid tier (from the free tier)",
  request: { body: jsonBody(checkoutBody) },
  responses: {
    200: jsonResponse(redirectResponse, "The Checkout Session's URL; an open session for the same plan is reused."),
    ...errorResponses(400, 401, 404, 409, 413, 415, 503),
  },
});

const syncResponse = z
  .object({
    success: z.literal(true),
    changed: z.boolean(),
    subscription: z.record(z.string(), z.unknown()),
    token: z.string(),
  })
  .openapi("SubscriptionSync");

const sync = createRoute({
  method: "post",
  path: "/subscription/sync",
  summary: "Re-read the caller's subscription from Stripe now (after returning from Checkout)",
  responses: {
    200: jsonResponse(syncResponse, "The subscription as Stripe has it, with a fresh token."),
    ...errorResponses(401, 409, 503),
  },
});

const portal = createRoute({
  method: "post",
  path: "/billing-portal",
  summary: "Open the Stripe customer portal (payment method, invoices, plan changes)",
  responses: {
    200: jsonResponse(redirectResponse, "The portal session's URL."),
    ...errorResponses(401, 409, 503),
  },
});

/** The caller's payment endpoints, mounted at /api/user. */
export function paymentRoutes(deps: AppDeps) {
  // These endpoints may answer before reading the caller (no provider, a bad body), so a token that
  // outlived its user is caught here, as on every other route: 401, not a refusal about the request.
  const callerExists = createMiddleware<AppEnv>(async (c, next) => {
    if (!(await findUserRights(c.var.db, c.var.auth.userId))) throw goneUser();
    await next();
  });
  const auth = [requireAuth(deps), callerMustExist, callerExists] as const;
  // Per path: a bare use() here would run for every /api/user route once mounted.
  const router = createRouter();
  router
    .use("/subscription/checkout", ...auth)
    .use("/subscription/sync", ...auth)
    .use("/billing-portal", ...auth);
  return router
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
      const { change } = await syncUser(payments, c.var.db, {
        userId,
        now: deps.clock(),
      });
      const subscription = change?.subscription ?? (await findCurrent(c.var.db, userId));
      if (!subscription) throw new PaymentError("not_found", "no_billing_account", "There is no such user.");
      const token = change ? await changeToken(deps, change) : await issueToken(deps, c.var.db, userId);
      return c.json(
        {
          success: true as const,
          changed: Boolean(change),
          subscription: presentSubscription(subscription),
          token,
        },
        200
      );
    })
    .openapi(portal, async (c) => {
      const payments = paymentsFor(deps);
      if (!payments) throw notConfigured();
      return c.json(
        {
          success: true as const,
          ...(await openBillingPortal(payments, c.var.db, c.var.auth.userId)),
        },
        200
      );
    });
}
