import { Hono } from "hono";
import type { AppDeps, AppEnv } from "../../env.ts";
import {
  iso,
  presentCancellation,
  presentDowngrade,
  presentSubscription,
  presentTier,
  presentUpgrade,
} from "../presenters/presenters.ts";
import { cancelBody, downgradeBody, upgradeBody } from "../schemas/subscription.ts";
import { issueToken } from "../session-token.ts";
import type { TierCatalog } from "../tier-catalog.ts";
import { validate } from "../schemas/validate.ts";
import { callerMustExist, requireAuth, requireLiveSession } from "../middleware/auth.ts";
import { idempotent } from "../middleware/idempotency.ts";
import { optionalJsonBody } from "../middleware/optional-json-body.ts";
import {
  cancel,
  getSubscriptionOverview,
  resume,
  scheduleDowngrade,
  undoDowngrade,
  upgrade,
} from "../../services/subscriptions/index.ts";

/** The caller's own subscription. Every change answers with a fresh token carrying the new tier. */
export function subscriptionRoutes(deps: AppDeps, catalog: TierCatalog) {
  const once = idempotent(deps);
  return new Hono<AppEnv>()
    .use(requireAuth(deps), callerMustExist, requireLiveSession)
    .get("/", async (c) => {
      const { tiers } = await catalog.get(c.var.db);
      const overview = await getSubscriptionOverview(c.var.db, c.var.auth.userId, tiers);
      return c.json(
        {
          success: true as const,
          subscription: presentSubscription(overview.subscription),
          available_tiers: overview.availableTiers.map(presentTier),
          available_upgrades: overview.availableUpgrades.map(presentTier),
          can_upgrade: overview.availableUpgrades.length > 0,
        },
        200
      );
    })
    .post("/upgrade", validate("json", upgradeBody), once, async (c) => {
      const { tier_slug, billing_cycle } = c.req.valid("json");
      const { userId } = c.var.auth;
      const change = await upgrade(c.var.db, {
        userId,
        tierSlug: tier_slug,
        billingCycle: billing_cycle,
        now: deps.clock(),
      });
      const token = await issueToken(deps, c.var.db, userId, c.var.auth.sid);
      const { name } = change.subscription.tier;
      return c.json(
        {
          success: true as const,
          message: `Upgraded to ${name} (${billing_cycle}), effective immediately.`,
          upgrade: presentUpgrade(change),
          token,
        },
        200
      );
    })
    .post("/downgrade", validate("json", downgradeBody), once, async (c) => {
      const { tier_slug, reason } = c.req.valid("json");
      const { userId } = c.var.auth;
      const change = await scheduleDowngrade(c.var.db, {
        userId,
        tierSlug: tier_slug,
        reason: reason || null,
        now: deps.clock(),
      });
      const token = await issueToken(deps, c.var.db, userId, c.var.auth.sid);
      const downgrade = presentDowngrade(change);
      return c.json(
        {
          success: true as const,
          message: `Downgrade to ${downgrade.new_tier} scheduled for ${downgrade.effective_date}`,
          downgrade,
          token,
        },
        200
      );
    })
    .delete("/downgrade", once, async (c) => {
      const { userId } = c.var.auth;
      const change = await undoDowngrade(c.var.db, { userId, now: deps.clock() });
      const token = await issueToken(deps, c.var.db, userId, c.var.auth.sid);
      return c.json(
        {
          success: true as const,
          message: `Scheduled downgrade cancelled; you stay on ${change.subscription.tier.name}.`,
          subscription: presentSubscription(change.subscription),
          token,
        },
        200
      );
    })
    .delete("/cancel", optionalJsonBody, validate("json", cancelBody), once, async (c) => {
      const { reason } = c.req.valid("json");
      const { userId } = c.var.auth;
      const change = await cancel(c.var.db, { userId, reason: reason || null, now: deps.clock() });
      const token = await issueToken(deps, c.var.db, userId, c.var.auth.sid);
      return c.json(
        { success: true as const, message: "Subscription cancelled", cancellation: presentCancellation(change), token },
        200
      );
    })
    .post("/resume", once, async (c) => {
      const { userId } = c.var.auth;
      const change = await resume(c.var.db, { userId, now: deps.clock() });
      const token = await issueToken(deps, c.var.db, userId, c.var.auth.sid);
      return c.json(
        {
          success: true as const,
          message: `Subscription resumed; it renews on ${iso(change.subscription.currentPeriodEnd)}.`,
          subscription: presentSubscription(change.subscription),
          token,
        },
        200
      );
    });
}
