import { Hono } from "hono";
import type { AppDeps, AppEnv } from "../../env.ts";
import { requireAuth } from "../middleware/auth.ts";
import { requireTier } from "../middleware/require-tier.ts";

const BUSINESS_LEVEL = 3;

/** Features gated by tier; priority support shows how a route asks for a minimum level. */
export function featureRoutes(deps: AppDeps) {
  return new Hono<AppEnv>().get("/priority-support", requireAuth(deps), requireTier(BUSINESS_LEVEL), (c) =>
    c.json(
      {
        success: true as const,
        feature: "priority_support",
        message: "Priority support is included in your plan.",
      },
      200,
    ),
  );
}
