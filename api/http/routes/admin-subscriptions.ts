import { z } from "@hono/zod-openapi";
import type { AppDeps } from "../../env.ts";
import { assignMirror, paymentsFor } from "../../services/payments/index.ts";
import {
  allTiers,
  assignTier,
  historyOf,
  listSubscriptions,
  subscriptionPage,
  subscriptionStats,
} from "../../services/subscriptions/index.ts";
import { answerAssignment } from "../change-answer.ts";
import { assertKnownTier } from "../known-tier.ts";
import { changeKey } from "../middleware/idempotency.ts";
import { adminChange, adminReads } from "../middleware/require-admin.ts";
import { apiRoute, createRouter, errorResponses, headerParameter, jsonBody, jsonResponse } from "../openapi/router.ts";
import { presentAdminSubscription, presentHistory, presentStats } from "../presenters/admin-presenters.ts";
import { assignTierBody, listSubscriptionsQuery, userIdParam } from "../schemas/admin.ts";
import { AdminSubscriptionRowJson, HistoryEntryJson, pageOf, SubscriptionStatsJson } from "../schemas/admin-json.ts";
import { IdempotencyKeyParameter } from "../schemas/subscription.ts";
import { SubscriptionStatusJson } from "../schemas/tier-json.ts";

const TAGS = ["admin"];

/** Admin views of every subscription, and tier assignment that bypasses payment. Mounted behind requireAdmin. */
export function adminSubscriptionRoutes(deps: AppDeps) {
  const payments = paymentsFor(deps);
  const router = createRouter();

  const list = apiRoute("admin", {
    method: "get",
    path: "/subscriptions",
    tags: TAGS,
    summary: "Current subscriptions (status_filter=all adds replaced rows), newest first, filtered by tier and status",
    description:
      "One page of subscription rows with their user and tier: by default each user's current subscription (what the stats count); a page past the end answers the last page.",
    request: { query: listSubscriptionsQuery },
    responses: { 200: jsonResponse(pageOf(AdminSubscriptionRowJson), "One page of subscriptions.") },
  });

  const assign = apiRoute("admin", {
    method: "post",
    path: "/subscriptions/{user_id}/assign-tier",
    tags: TAGS,
    summary: "Assign a tier at once, bypassing payment (reason kept in the history)",
    description:
      "Starts the tier's first period now; the history records the admin and the reason. With Stripe on, a Stripe subscription the user paid for stops renewing (cancelled at its period end).",
    middleware: [changeKey(deps)] as const,
    parameters: [headerParameter(router, "IdempotencyKey", IdempotencyKeyParameter)],
    request: { params: userIdParam, body: jsonBody(assignTierBody) },
    responses: {
      200: jsonResponse(
        z.strictObject({
          success: z.literal(true),
          message: z.string(),
          subscription: z.strictObject({
            id: z.uuid(),
            user_id: z.uuid(),
            tier_slug: z.string(),
            status: SubscriptionStatusJson,
          }),
        }),
        "The user's new subscription.",
      ),
      // Unknown user or tier (404); already on that tier and cycle (nothing_to_change), an inactive tier
      // or a key in use (409); a key reused (422).
      ...errorResponses(404, 409, 422),
    },
  });

  const stats = apiRoute("admin", {
    method: "get",
    path: "/subscription-stats",
    tags: TAGS,
    summary: "Counts of current subscriptions by tier and billing cycle, and the monthly recurring revenue",
    description:
      "Totals over every user's current subscription: paid and free counts, MRR in cents, and every tier of the catalog (0 when empty).",
    responses: {
      200: jsonResponse(z.strictObject({ success: z.literal(true), stats: SubscriptionStatsJson }), "The counts."),
    },
  });

  const history = apiRoute("admin", {
    method: "get",
    path: "/subscriptions/{user_id}/history",
    tags: TAGS,
    summary: "A user's subscription history, newest first",
    description: "Every change to the user's subscriptions, with who made it and why; 404 for an unknown user.",
    request: { params: userIdParam },
    responses: {
      200: jsonResponse(
        z.strictObject({ success: z.literal(true), history: z.array(HistoryEntryJson) }),
        "The history.",
      ),
      ...errorResponses(404),
    },
  });

  return router
    .openapi(list, async (c) => {
      const { page, limit, tier_filter, status_filter } = c.req.valid("query");
      const filters = {
        page,
        limit,
        tier: tier_filter === "all" ? undefined : tier_filter,
        status: status_filter === "all" ? undefined : status_filter,
      };
      // The tiers for the filter's check ride in the same batch; an unknown one discards the page.
      const [tiers, first] = await adminReads(c, [allTiers, subscriptionPage(filters, page)]);
      if (filters.tier) assertKnownTier(tiers, "tier_filter", filters.tier);
      const { rows, total, page: shown } = await listSubscriptions(c.var.db, filters, first);
      return c.json(
        { success: true as const, data: rows.map(presentAdminSubscription), total, page: shown, limit },
        200,
      );
    })
    .openapi(assign, async (c) => {
      const { user_id } = c.req.valid("param");
      const { tier_slug, billing_cycle, reason } = c.req.valid("json");
      const mirror = payments ? assignMirror(payments) : undefined;
      return answerAssignment(
        c,
        (caller) =>
          adminChange(c, (guard) =>
            assignTier.outcome(
              c.var.db,
              {
                adminId: c.var.auth.userId,
                userId: user_id,
                tierSlug: tier_slug,
                billingCycle: billing_cycle,
                reason,
                now: deps.clock(),
                mirror,
              },
              { ...caller, guard },
            ),
          ),
        ({ subscription }) => ({
          success: true as const,
          message: `Tier ${subscription.tierSlug} assigned to user`,
          subscription: {
            id: subscription.id,
            user_id: subscription.userId,
            tier_slug: subscription.tierSlug,
            status: subscription.status,
          },
        }),
      );
    })
    .openapi(stats, async (c) => {
      // With a provider, only what it bills is revenue; without one every paid row counts.
      const [stats] = await adminReads(c, [subscriptionStats({ billedOnly: Boolean(payments) })]);
      return c.json({ success: true as const, stats: presentStats(stats) }, 200);
    })
    .openapi(history, async (c) => {
      const [rows] = await adminReads(c, [historyOf(c.req.valid("param").user_id)]);
      return c.json({ success: true as const, history: rows.map(presentHistory) }, 200);
    });
}
