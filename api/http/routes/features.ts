import { z } from "@hono/zod-openapi";
import type { AppDeps } from "../../env.ts";
import { requireAuth } from "../middleware/auth.ts";
import { requireFeature } from "../middleware/require-feature.ts";
import { apiRoute, createRouter, errorResponses, jsonResponse } from "../openapi/router.ts";

/** Features gated by what the caller's tier includes (its `features`), not by its level. */
export function featureRoutes(deps: AppDeps) {
  const prioritySupport = apiRoute("user", {
    method: "get",
    path: "/priority-support",
    tags: ["features"],
    summary: "A feature that needs a tier whose features include priority_support",
    description:
      "Reads the caller's current tier from the database (not the token) and refuses with 403 feature_required when its features do not include priority_support.",
    middleware: [requireAuth(deps), requireFeature("priority_support")] as const,
    responses: {
      200: jsonResponse(
        z.strictObject({ success: z.literal(true), feature: z.literal("priority_support"), message: z.string() }),
        "The caller's tier includes the feature.",
      ),
      // requireFeature: the caller's current tier does not include it (code feature_required).
      ...errorResponses(403),
    },
  });

  return createRouter().openapi(prioritySupport, (c) =>
    c.json(
      {
        success: true as const,
        feature: "priority_support" as const,
        message: "Priority support is included in your plan.",
      },
      200,
    ),
  );
}
