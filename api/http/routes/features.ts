import { Hono } from "hono";
import type { AppDeps, AppEnv } from "../../env.ts";
import { requireAuth } from "../middleware/auth.ts";
import { requireFeature } from "../middleware/require-feature.ts";

/** Features gated by what the caller's tier includes (its `features`), not by its level. */
export function featureRoutes(deps: AppDeps) {
  return new Hono<AppEnv>().get("/priority-support", requireAuth(deps), requireFeature("priority_support"), (c) =>
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
