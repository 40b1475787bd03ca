import { Hono } from "hono";
import type { AppEnv } from "../../env.ts";
import { presentDirectoryUser, presentDirectoryUserDetail } from "../presenters/admin-presenters.ts";
import { ApiError } from "../errors/api-error.ts";
import { assertKnownTier } from "../known-tier.ts";
import { presentSubscription } from "../presenters/presenters.ts";
import { listUsersQuery, userIdParam } from "../schemas/admin.ts";
import { validate } from "../schemas/validate.ts";
import { findUser, listUsers } from "../../services/user-directory.ts";

/** The admin's user directory with each user's current tier. Mounted behind requireAdmin. */
export function adminUserRoutes() {
  return new Hono<AppEnv>()
    .get("/users", validate("query", listUsersQuery), async (c) => {
      const { page, limit, tier, q } = c.req.valid("query");
      if (tier) await assertKnownTier(c.var.db, "tier", tier);
      const { rows, total } = await listUsers(c.var.db, { page, limit, tier, q: q || undefined });
      return c.json({ success: true as const, data: rows.map(presentDirectoryUser), total, page, limit }, 200);
    })
    .get("/users/:user_id", validate("param", userIdParam), async (c) => {
      const { user_id } = c.req.valid("param");
      const user = await findUser(c.var.db, user_id);
      if (!user) throw new ApiError(404, "user_not_found", "There is no such user.");
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
        200
      );
    });
}
