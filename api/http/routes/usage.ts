import { createRoute, z } from "@hono/zod-openapi";
import type { Database } from "../../../db/client/types.ts";
import type { AppDeps } from "../../env.ts";
import { consume, release } from "../../services/usage/counting.ts";
import { countedFeature } from "../../services/usage/counted-feature.ts";
import { serviceIdempotent } from "../middleware/idempotency.ts";
import { invalidServiceKey, requireServiceKey } from "../middleware/service-key.ts";
import { createRouter, errorResponses, jsonBody, jsonResponse } from "../openapi/router.ts";
import { presentUsage } from "../presenters/usage-json.ts";
import { idempotencyKeyHeader } from "../schemas/subscription.ts";
import { UsageJson, featureParam, usageBody } from "../schemas/usage.ts";
import type { TierCatalog } from "../tier-catalog.ts";

const headers = idempotencyKeyHeader
  .optional()
  .openapi({ param: { name: "Idempotency-Key", in: "header" }, description: "Makes a retry safe for 24 h (Stripe's semantics)." });

const usageRoute = (action: "consume" | "release", summary: string, middleware: ReturnType<typeof requireServiceKey>[]) =>
  createRoute({
    method: "post",
    path: `/{feature}/${action}`,
    tags: ["usage"],
    summary,
    security: [{ serviceKey: [] }],
    middleware,
    request: {
      params: featureParam,
      headers: z.object({ "idempotency-key": headers }),
      body: jsonBody(usageBody),
    },
    responses: {
      200: jsonResponse(UsageJson, "What is counted now, the limit of the user's current tier and what remains."),
      ...errorResponses(400, 401, 403, 404, 409, 413, 415, 422, 429, 503),
    },
  });

/**
 * Usage counted by the services that do the work, with a service key (scope usage:write). The
 * counter name (`messages`, `documents`) means what the catalog's tiers say it means.
 */
export function usageRoutes(deps: AppDeps, catalog: TierCatalog) {
  const guard = [requireServiceKey("usage:write"), serviceIdempotent(deps, invalidServiceKey)];
  const request = async (db: Database, feature: string, body: { user_id: string; amount: number }) => ({
    userId: body.user_id,
    amount: body.amount,
    feature: countedFeature((await catalog.get(db)).tiers, feature),
    now: deps.clock(),
  });

  return createRouter()
    .openapi(
      usageRoute("consume", "Count usage if it fits under the user's current limit (429 limit_reached counts nothing)", guard),
      async (c) => {
        const { feature } = c.req.valid("param");
        const state = await consume(c.var.db, await request(c.var.db, feature, c.req.valid("json")));
        return c.json(presentUsage(state), 200);
      },
    )
    .openapi(usageRoute("release", "Give back part of a running total (documents deleted)", guard), async (c) => {
      const { feature } = c.req.valid("param");
      const state = await release(c.var.db, await request(c.var.db, feature, c.req.valid("json")));
      return c.json(presentUsage(state), 200);
    });
}
