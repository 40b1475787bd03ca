import { Hono } from "hono";
import type { AppDeps, AppEnv } from "../../env.ts";
import { presentAdminSubscription, presentHistory, presentStats } from "../presenters/admin-presenters.ts";
import { assertKnownTier } from "../known-tier.ts";
import { assignTierBody, listSubscriptionsQuery, userIdParam } from "../schemas/admin.ts";
import { validate } from "../schemas/validate.ts";
import { idempotent } from "../middleware/idempotency.ts";
import { assignTier, getHistory, getStats, listSubscriptions } from "../../services/subscriptions/index.ts";
import { assignMirror, paymentsFor } from "../../services/payments/index.ts";

/** Admin views of every subscription, and tier assignment that bypasses payment. Mounted behind requireAdmin. */
export function adminSubscriptionRoutes(deps: AppDeps) {
  const payments = paymentsFor(deps);
  return new Hono<AppEnv>()
    .get("/subscriptions", validate("query", listSubscriptionsQuery), async (c) => {
      const { page, limit, tier_filter, status_filter } = c.req.valid("query");
      if (tier_filter !== "all") await assertKnownTier(c.var.db, "tier_filter", tier_filter);
      const { rows, total } = await listSubscriptions(c.var.db, {
        page,
        limit,
        tier: tier_filter === "all" ? undefined : tier_filter,
        status: status_filter === "all" ? undefined : status_filter,
      });
      return c.json({ success: true as const, data: rows.map(presentAdminSubscription), total, page, limit }, 200);
    })
    .post(
      "/subscriptions/:user_id/assign-tier",
      validate("param", userIdParam),
      validate("json", assignTierBody),
      idempotent(deps),
      async (c) => {
        const { user_id } = c.req.valid("param");
        const { tier_slug, billing_cycle, reason } = c.req.valid("json");
        const { subscription } = await assignTier(c.var.db, {
          adminId: c.var.auth.userId,
          userId: user_id,
          tierSlug: tier_slug,
          billingCycle: billing_cycle,
          reason,
          now: deps.clock(),
          mirror: payments ? assignMirror(payments) : undefined,
        });
        return c.json(
          {
            success: true as const,
            message: `Tier ${subscription.tierSlug} assigned to user`,
            subscription: {
              id: subscription.id,
              user_id: subscription.userId,
              tier_slug: subscription.tierSlug,
              status: subscription.status,
            },
          },
          200
        );
      }
    )
    .get("/subscription-stats", async (c) => {
      // With a provider, only what it bills is revenue; without one every paid row counts.
      const stats = await getStats(c.var.db, { billedOnly: Boolean(payments) });
      return c.json({ success: true as const, stats: presentStats(stats) }, 200);
    })
    .get("/subscriptions/:user_id/history", validate("param", userIdParam), async (c) => {
      const history = await getHistory(c.var.db, c.req.valid("param").user_id);
      return c.json({ success: true as const, history: history.map(presentHistory) }, 200);
    });
}
