import { createRoute } from "@hono/zod-openapi";
import type { AppDeps } from "../../env.ts";
import { usageReport } from "../../services/usage/report.ts";
import { goneUser, requireAuth } from "../middleware/auth.ts";
import { createRouter, errorResponses, jsonResponse } from "../openapi/router.ts";
import { presentEntitlements } from "../presenters/usage-json.ts";
import { EntitlementsJson } from "../schemas/usage.ts";

/** What the caller's current tier includes, and how much of each limit is used in the window open now. */
export function entitlementRoutes(deps: AppDeps) {
  return createRouter().openapi(
    createRoute({
      method: "get",
      path: "/",
      tags: ["user"],
      summary: "Every feature of the caller's tier: limits with usage, remaining and reset time; flags",
      security: [{ bearerAuth: [] }],
      middleware: [requireAuth(deps)],
      responses: {
        200: jsonResponse(EntitlementsJson, "Per-day limits reset at the next UTC midnight; running totals never reset."),
        ...errorResponses(401, 503),
      },
    }),
    async (c) => {
      const report = await usageReport(c.var.db, c.var.auth, deps.clock());
      if (!report) throw goneUser();
      return c.json(presentEntitlements(report), 200);
    },
  );
}
