import { z } from "@hono/zod-openapi";
import type { AppDeps } from "../../env.ts";
import { apiRoute, createRouter, errorResponses, jsonResponse } from "../openapi/router.ts";
import { requireAuth } from "../middleware/auth.ts";
import { requireTier } from "../middleware/require-tier.ts";

const BUSINESS_LEVEL = 3;

/** Features gated by tier; priority support shows how a route asks for a minimum level. */
export function featureRoutes(deps: AppDeps) {
  const prioritySupport = apiRoute("user", {
    method: "get",
    path: "/priority-support",
    tags: ["features"],
    summary: "A feature that needs the Business tier or higher",
    description: "Reads the caller's current tier from the database (not the token) and refuses below Business with 403 tier_required.",
    middleware: [requireAuth(deps), requireTier(BUSINESS_LEVEL)] as const,
    responses: {
      200: jsonResponse(
        z.strictObject({ success: z.literal(true), feature: z.literal("priority_support"), message: z.string() }),
        "The caller's tier includes the feature.",
      ),
      // requireTier: the caller's current tier is below Business (code tier_required).
      ...errorResponses(403),
    },
  });

  return createRouter().openapi(prioritySupport, (c) =>
    c.json(
      { success: true as const, feature: "priority_support" as const, message: "Priority support is included in your plan." },
      200,
    ),
  );
}
