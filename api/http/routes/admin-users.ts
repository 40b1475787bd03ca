import { z } from "@hono/zod-openapi";
import { allTiers, noSuchUser } from "../../services/subscriptions/index.ts";
import { directoryUser, listUsers, userPage } from "../../services/user-directory.ts";
import { assertKnownTier } from "../known-tier.ts";
import { adminReads } from "../middleware/require-admin.ts";
import { apiRoute, createRouter, errorResponses, jsonResponse } from "../openapi/router.ts";
import { presentDirectoryUser, presentDirectoryUserDetail } from "../presenters/admin-presenters.ts";
import { presentSubscription } from "../presenters/presenters.ts";
import { listUsersQuery, userIdParam } from "../schemas/admin.ts";
import { AdminSubscriptionJson, AdminUserDetailJson, AdminUserRowJson, pageOf } from "../schemas/admin-json.ts";

const TAGS = ["admin"];

const list = apiRoute("admin", {
  method: "get",
  path: "/users",
  tags: TAGS,
  summary: "Users with their current tier, filtered by tier and email",
  description: "One page of users; q matches part of the email; a page past the end answers the last page.",
  request: { query: listUsersQuery },
  responses: { 200: jsonResponse(pageOf(AdminUserRowJson), "One page of users.") },
});

const detail = apiRoute("admin", {
  method: "get",
  path: "/users/{user_id}",
  tags: TAGS,
  summary: "One user with their current subscription",
  description: "The user's profile and current subscription; 404 for an unknown user.",
  request: { params: userIdParam },
  responses: {
    200: jsonResponse(
      z.strictObject({ success: z.literal(true), user: AdminUserDetailJson, subscription: AdminSubscriptionJson }),
      "The user and their current subscription.",
    ),
    ...errorResponses(404),
  },
});

/** The admin's user directory with each user's current tier. Mounted behind requireAdmin. */
export function adminUserRoutes() {
  return createRouter()
    .openapi(list, async (c) => {
      const { page, limit, tier, q } = c.req.valid("query");
      const filters = { page, limit, tier, q: q || undefined };
      // The tiers for the filter's check ride in the same batch; an unknown one discards the page.
      const [tiers, first] = await adminReads(c, [allTiers, userPage(filters, page)]);
      if (tier) assertKnownTier(tiers, "tier", tier);
      const { rows, total, page: shown } = await listUsers(c.var.db, filters, first);
      return c.json({ success: true as const, data: rows.map(presentDirectoryUser), total, page: shown, limit }, 200);
    })
    .openapi(detail, async (c) => {
      const [user] = await adminReads(c, [directoryUser(c.req.valid("param").user_id)]);
      if (!user) throw noSuchUser();
      return c.json(
        {
          success: true as const,
          user: presentDirectoryUserDetail(user),
          // The admin sees which Stripe subscription and customer bill the user.
          subscription: {
            ...presentSubscription(user.subscription),
            payment_provider_id: user.subscription.paymentProviderId,
            stripe_customer_id: user.stripeCustomerId,
          },
        },
        200,
      );
    });
}
