import type { Database } from "../../../db/client/types.ts";
import type { AppDeps } from "../../env.ts";
import { countedFeature } from "../../services/usage/counted-feature.ts";
import { consume, release } from "../../services/usage/counting.ts";
import { serviceIdempotent } from "../middleware/idempotency.ts";
import { invalidServiceKey, requireServiceKey } from "../middleware/service-key.ts";
import { apiRoute, createRouter, errorResponses, headerParameter, jsonBody, jsonResponse } from "../openapi/router.ts";
import { presentUsage } from "../presenters/usage-json.ts";
import { IdempotencyKeyParameter } from "../schemas/subscription.ts";
import { featureParam, UsageJson, usageBody } from "../schemas/usage.ts";
import type { TierCatalog } from "../tier-catalog.ts";

type UsageAction = "consume" | "release";

const DESCRIPTIONS: Record<UsageAction, string> = {
  consume:
    "Counts `amount` against the limit of the user's current tier in the window open now, all or nothing: " +
    "over the limit nothing is counted and the answer is 429 limit_reached. A feature the tier lacks is 403.",
  release:
    "Takes `amount` back off a running total (documents deleted); more than is counted is 409 and nothing changes.",
};

/** The service key, then its idempotency keys (they belong to the service). */
type Guard = [ReturnType<typeof requireServiceKey>, ReturnType<typeof serviceIdempotent>];

const usageRoute = (action: UsageAction, summary: string, middleware: Guard, idempotencyKey: { $ref: string }) =>
  apiRoute("service", {
    method: "post",
    path: `/{feature}/${action}`,
    tags: ["usage"],
    summary,
    description: DESCRIPTIONS[action],
    middleware,
    parameters: [idempotencyKey],
    request: { params: featureParam, body: jsonBody(usageBody) },
    responses: {
      200: jsonResponse(UsageJson, "What is counted now, the limit of the user's current tier and what remains."),
      // Unknown feature or user (404), the key in use or reused (409, 422); only consuming meets a limit (429).
      ...(action === "consume" ? errorResponses(404, 409, 422, 429) : errorResponses(404, 409, 422)),
    },
  });

/**
 * Usage counted by the services that do the work, with a service key (scope usage:write). The
 * counter name (`messages`, `documents`) means what the catalog's tiers say it means.
 */
export function usageRoutes(deps: AppDeps, catalog: TierCatalog) {
  const guard = [requireServiceKey("usage:write"), serviceIdempotent(deps, invalidServiceKey)] satisfies Guard;
  const request = async (db: Database, feature: string, body: { user_id: string; amount: number }) => ({
    userId: body.user_id,
    amount: body.amount,
    feature: countedFeature((await catalog.get(db)).tiers, feature),
    now: deps.clock(),
  });

  const router = createRouter();
  const idempotencyKey = headerParameter(router, "IdempotencyKey", IdempotencyKeyParameter);
  return router
    .openapi(
      usageRoute(
        "consume",
        "Count usage if it fits under the user's current limit (429 limit_reached counts nothing)",
        guard,
        idempotencyKey,
      ),
      async (c) => {
        const { feature } = c.req.valid("param");
        const state = await consume(c.var.db, await request(c.var.db, feature, c.req.valid("json")));
        return c.json(presentUsage(state), 200);
      },
    )
    .openapi(
      usageRoute("release", "Give back part of a running total (documents deleted)", guard, idempotencyKey),
      async (c) => {
        const { feature } = c.req.valid("param");
        const state = await release(c.var.db, await request(c.var.db, feature, c.req.valid("json")));
        return c.json(presentUsage(state), 200);
      },
    );
}
