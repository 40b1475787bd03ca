import { z } from "@hono/zod-openapi";
import type { AppDeps } from "../../env.ts";
import {
  cancelMirror,
  downgradeMirror,
  paymentsFor,
  resumeMirror,
  undoDowngradeMirror,
  upgradeMirror,
} from "../../services/payments/index.ts";
import { findCurrentWithSeat } from "../../services/seats/index.ts";
import { callerGone } from "../../services/service-error.ts";
import {
  availableUpgrades,
  cancel,
  resume,
  scheduleDowngrade,
  undoDowngrade,
  upgrade,
} from "../../services/subscriptions/index.ts";
import { answerChange } from "../change-answer.ts";
import { requireAuth } from "../middleware/auth.ts";
import { changeKey } from "../middleware/idempotency.ts";
import { emptyBodyIsNoBody } from "../middleware/optional-json-body.ts";
import { apiRoute, createRouter, errorResponses, headerParameter, jsonBody, jsonResponse } from "../openapi/router.ts";
import {
  iso,
  presentCancellation,
  presentDowngrade,
  presentSubscription,
  presentUpgrade,
} from "../presenters/presenters.ts";
import { presentSubscriptionWithSeat } from "../presenters/seats.ts";
import { Serialized, serializedJson } from "../presenters/serialized.ts";
import { EffectiveSubscriptionJson } from "../schemas/seats.ts";
import { cancelBody, downgradeBody, IdempotencyKeyParameter, upgradeBody } from "../schemas/subscription.ts";
import { CancellationJson, DowngradeJson, SubscriptionJson, TierJson, UpgradeJson } from "../schemas/tier-json.ts";
import type { TierCatalog } from "../tier-catalog.ts";

const TAGS = ["subscription"];

/** Every change answers with a message and a fresh token carrying the new tier. */
const changed = <Shape extends z.ZodRawShape>(shape: Shape, description: string) =>
  jsonResponse(
    z.strictObject({ success: z.literal(true), message: z.string(), ...shape, token: z.string() }),
    description,
  );

/** A change refused by the lifecycle (409), an unknown tier (404), or a key in use / reused (409, 422). */
const CHANGE_ERRORS = errorResponses(404, 409, 422);

const OverviewJson = z
  .strictObject({
    success: z.literal(true),
    subscription: EffectiveSubscriptionJson,
    available_tiers: z.array(TierJson),
    available_upgrades: z.array(TierJson),
    can_upgrade: z.boolean(),
    payment_provider: z.enum(["stripe"]).nullable().openapi({
      description: "Null: no payment provider is configured and plan changes apply without payment.",
    }),
  })
  .openapi("SubscriptionOverview");

type Overview = z.output<typeof OverviewJson>;

const getOverview = apiRoute("user", {
  method: "get",
  path: "/",
  tags: TAGS,
  summary: "The caller's subscription, the tiers on offer and the possible upgrades",
  description:
    "The current subscription with its effective tier (a seat on someone else's plan counts when its tier is higher), every active tier, and the upgrades it can take now.",
  responses: {
    200: jsonResponse(OverviewJson, "The current subscription and what it can change to."),
  },
});

export function subscriptionRoutes(deps: AppDeps, catalog: TierCatalog) {
  const once = changeKey(deps);
  // With Stripe on, each change is made in Stripe too (inside the change, before it is written).
  const payments = paymentsFor(deps);
  const router = createRouter();
  const idempotencyKeyParameter = headerParameter(router, "IdempotencyKey", IdempotencyKeyParameter);

  const upgradeRoute = apiRoute("user", {
    method: "post",
    path: "/upgrade",
    tags: TAGS,
    summary: "Upgrade now (a higher tier, or monthly to annual)",
    description:
      "Ends the current period now and starts the new tier's first period; answers with a token carrying the new tier. With Stripe on, the price changes at Stripe and is invoiced at once: 402 payment_failed when the card is declined (nothing changes), 409 checkout_required from the free tier (subscribe through checkout first).",
    middleware: [once] as const,
    parameters: [idempotencyKeyParameter],
    request: { body: jsonBody(upgradeBody) },
    responses: {
      200: changed({ upgrade: UpgradeJson }, "The upgrade, effective immediately."),
      ...CHANGE_ERRORS,
      ...errorResponses(402),
    },
  });

  const downgradeRoute = apiRoute("user", {
    method: "post",
    path: "/downgrade",
    tags: TAGS,
    summary: "Schedule a downgrade for the end of the billing period",
    description: "The current tier stays until the period ends; the cron then starts the lower tier.",
    middleware: [once] as const,
    parameters: [idempotencyKeyParameter],
    request: { body: jsonBody(downgradeBody) },
    responses: { 200: changed({ downgrade: DowngradeJson }, "The scheduled downgrade."), ...CHANGE_ERRORS },
  });

  const undoDowngradeRoute = apiRoute("user", {
    method: "delete",
    path: "/downgrade",
    tags: TAGS,
    summary: "Undo a scheduled downgrade",
    description: "Keeps the current tier renewing as before, as long as the downgrade has not taken effect.",
    middleware: [once] as const,
    parameters: [idempotencyKeyParameter],
    responses: {
      200: changed({ subscription: SubscriptionJson }, "The subscription, staying on its tier."),
      ...CHANGE_ERRORS,
    },
  });

  const cancelRoute = apiRoute("user", {
    method: "delete",
    path: "/cancel",
    tags: TAGS,
    summary: "Cancel at the end of the billing period (then back to member)",
    description:
      "Access stays until the period ends, then the cron reverts to member. The body (a reason) is optional. A past_due subscription cannot be cancelled (409 payment_past_due).",
    middleware: [emptyBodyIsNoBody, once] as const,
    parameters: [idempotencyKeyParameter],
    request: { body: jsonBody(cancelBody, false) },
    responses: { 200: changed({ cancellation: CancellationJson }, "The cancellation."), ...CHANGE_ERRORS },
  });

  const resumeRoute = apiRoute("user", {
    method: "post",
    path: "/resume",
    tags: TAGS,
    summary: "Take back a pending cancellation",
    description: "The subscription renews again at the end of its period, if that end has not passed.",
    middleware: [once] as const,
    parameters: [idempotencyKeyParameter],
    responses: {
      200: changed({ subscription: SubscriptionJson }, "The subscription, renewing again."),
      ...CHANGE_ERRORS,
    },
  });

  // Every handler checks the session in its own read (the overview's statement, a change's read).
  router.use(requireAuth(deps));
  return router
    .openapi(getOverview, async (c) => {
      const db = c.get("db");
      const { userId, sid } = c.get("auth");
      const { tiers, list, bySlug } = await catalog.get(db);
      const found = await findCurrentWithSeat(db, userId, sid);
      if (!found) throw callerGone();
      const subscription = presentSubscriptionWithSeat(found.subscription, found.seat);
      // Upgrades are offered above what the caller already has, a seat's tier included.
      const upgrades = availableUpgrades(found.subscription, tiers).filter(
        (tier) => subscription.via === "own" || tier.tierLevel > subscription.tier.level,
      );
      // The catalog's tiers as GET /api/tiers presents them, serialized with the catalog.
      const overview = Serialized.object<Overview>({
        success: true,
        subscription,
        available_tiers: list,
        available_upgrades: Serialized.array(upgrades.flatMap((tier) => bySlug.get(tier.slug) ?? [])),
        can_upgrade: upgrades.length > 0,
        payment_provider: payments ? payments.settings.provider : null,
      });
      return serializedJson(c, overview, 200);
    })
    .openapi(upgradeRoute, async (c) => {
      const { tier_slug, billing_cycle } = c.req.valid("json");
      const mirror = payments ? upgradeMirror(payments, billing_cycle, c.req.header("Idempotency-Key")) : undefined;
      return answerChange(
        c,
        deps,
        (caller) =>
          upgrade.outcome(
            c.var.db,
            { userId: c.var.auth.userId, tierSlug: tier_slug, billingCycle: billing_cycle, now: deps.clock(), mirror },
            caller,
          ),
        (change) => ({
          success: true as const,
          message: `Upgraded to ${change.subscription.tier.name} (${billing_cycle}), effective immediately.`,
          upgrade: presentUpgrade(change),
        }),
      );
    })
    .openapi(downgradeRoute, async (c) => {
      const { tier_slug, reason } = c.req.valid("json");
      const mirror = payments ? downgradeMirror(payments) : undefined;
      return answerChange(
        c,
        deps,
        (caller) =>
          scheduleDowngrade.outcome(
            c.var.db,
            { userId: c.var.auth.userId, tierSlug: tier_slug, reason: reason || null, now: deps.clock(), mirror },
            caller,
          ),
        (change) => {
          const downgrade = presentDowngrade(change);
          return {
            success: true as const,
            message: `Downgrade to ${downgrade.new_tier} scheduled for ${downgrade.effective_date}`,
            downgrade,
          };
        },
      );
    })
    .openapi(undoDowngradeRoute, async (c) => {
      const mirror = payments ? undoDowngradeMirror(payments) : undefined;
      return answerChange(
        c,
        deps,
        (caller) => undoDowngrade.outcome(c.var.db, { userId: c.var.auth.userId, now: deps.clock(), mirror }, caller),
        (change) => ({
          success: true as const,
          message: `Scheduled downgrade cancelled; you stay on ${change.subscription.tier.name}.`,
          subscription: presentSubscription(change.subscription),
        }),
      );
    })
    .openapi(cancelRoute, async (c) => {
      const { reason } = c.req.valid("json");
      const mirror = payments ? cancelMirror(payments) : undefined;
      return answerChange(
        c,
        deps,
        (caller) =>
          cancel.outcome(
            c.var.db,
            { userId: c.var.auth.userId, reason: reason || null, now: deps.clock(), mirror },
            caller,
          ),
        (change) => ({
          success: true as const,
          message: "Subscription cancelled",
          cancellation: presentCancellation(change),
        }),
      );
    })
    .openapi(resumeRoute, async (c) => {
      const mirror = payments ? resumeMirror(payments) : undefined;
      return answerChange(
        c,
        deps,
        (caller) => resume.outcome(c.var.db, { userId: c.var.auth.userId, now: deps.clock(), mirror }, caller),
        (change) => ({
          success: true as const,
          message: `Subscription resumed; it renews on ${iso(change.subscription.currentPeriodEnd)}.`,
          subscription: presentSubscription(change.subscription),
        }),
      );
    });
}
