import type { AppDeps } from "../../env.ts";
import { callerGone } from "../../services/service-error.ts";
import { usageReport } from "../../services/usage/report.ts";
import { requireAuth } from "../middleware/auth.ts";
import { apiRoute, createRouter, jsonResponse } from "../openapi/router.ts";
import { presentEntitlements } from "../presenters/usage-json.ts";
import { EntitlementsJson } from "../schemas/usage.ts";

/** What the caller's current tier includes, and how much of each limit is used in the window open now. */
export function entitlementRoutes(deps: AppDeps) {
  return createRouter().openapi(
    apiRoute("user", {
      method: "get",
      path: "/",
      tags: ["features"],
      summary: "Every feature of the caller's tier: limits with usage, remaining and reset time; flags",
      description:
        "Read from the caller's current tier in the database (not the token): each limit with what is used in the window open now, what remains and when it resets, and each flag.",
      middleware: [requireAuth(deps)] as const,
      responses: {
        200: jsonResponse(
          EntitlementsJson,
          "Per-day limits reset at the next UTC midnight; running totals never reset.",
        ),
      },
    }),
    async (c) => {
      const report = await usageReport(c.var.db, c.var.auth, deps.clock());
      if (!report) throw callerGone();
      return c.json(presentEntitlements(report), 200);
    },
  );
}
