import type { z } from "@hono/zod-openapi";
import type { Context } from "hono";
import type { AppDeps, AppEnv } from "../../env.ts";
import { ServiceError } from "../../services/service-error.ts";
import { countedFeature } from "../../services/usage/counted-feature.ts";
import { consume, type Operation, release, type UsageRequest } from "../../services/usage/counting.ts";
import type { ServiceScope } from "../../services/usage/service-keys.ts";
import { callUsage, checkCaller } from "../../services/usage/usage-call.ts";
import { ApiError } from "../errors/api-error.ts";
import { IDEMPOTENCY_HEADER, usageKey } from "../middleware/idempotency.ts";
import { refuseCaller, requireServiceKey } from "../middleware/service-key.ts";
import { apiRoute, createRouter, errorResponses, headerParameter, jsonBody, jsonResponse } from "../openapi/router.ts";
import { usageJson } from "../presenters/usage-json.ts";
import { IdempotencyKeyParameter } from "../schemas/subscription.ts";
import { featureParam, UsageJson, usageBody } from "../schemas/usage.ts";
import type { TierCatalog } from "../tier-catalog.ts";

type UsageAction = "consume" | "release";
type Usage = z.infer<typeof UsageJson>;

const SCOPE: ServiceScope = "usage:write";

const DESCRIPTIONS: Record<UsageAction, string> = {
  consume:
    "Counts `amount` against the limit of the user's current tier in the window open now, all or nothing: " +
    "over the limit nothing is counted and the answer is 429 limit_reached. A feature the tier lacks is 403.",
  release:
    "Takes `amount` back off a running total (documents deleted); more than is counted is 409 and nothing changes.",
};

/** The service key, then its idempotency keys (they belong to the service). */
type Guard = [ReturnType<typeof requireServiceKey>, ReturnType<typeof usageKey>];

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
      // Unknown feature or user (404), the key reused (422); only consuming meets a limit (429), only
      // releasing more than is counted (409).
      ...(action === "consume" ? errorResponses(404, 422, 429) : errorResponses(404, 409, 422)),
    },
  });

/**
 * Runs one usage call: the key's check, the count and its idempotency record in one statement
 * (services/usage/usage-call.ts). A request refused before anything could be counted (an unknown
 * counter, a release of a daily one) still checks the key first, so a bad key is always 401.
 */
async function answer(c: Context<AppEnv>, operation: () => Promise<Operation>) {
  const { db } = c.var;
  const { keyHash } = c.var.serviceKey;
  let op: Operation;
  try {
    op = await operation();
  } catch (error) {
    if (!(error instanceof ServiceError)) throw error;
    const caller = await checkCaller(db, keyHash, SCOPE);
    throw caller === "allowed" ? error : refuseCaller(caller, SCOPE);
  }
  const outcome = await callUsage(db, { keyHash, scope: SCOPE, key: c.var.usageKey, answer: usageJson }, op);
  switch (outcome.kind) {
    case "unknown_key":
    case "out_of_scope":
      throw refuseCaller(outcome.kind, SCOPE);
    case "refused":
      c.set("refusedFor", outcome.serviceId);
      throw outcome.error;
    case "reused":
      c.set("keyAnswered", true);
      throw new ApiError(
        422,
        "idempotency_key_reused",
        `This ${IDEMPOTENCY_HEADER} was already used with a different request; use a new key.`,
      );
    case "replay":
      c.set("keyAnswered", true);
      // A stored answer is this route's own (its Usage body or one of its refusals), replayed as sent.
      return c.json(outcome.body as Usage, outcome.statusCode as 200, { "Idempotent-Replayed": "true" });
    case "counted":
      return c.json(outcome.body as Usage, 200);
  }
}

/**
 * Usage counted by the services that do the work, with a service key (scope usage:write). The
 * counter name (`messages`, `documents`) means what the catalog's tiers say it means.
 */
export function usageRoutes(deps: AppDeps, catalog: TierCatalog) {
  const guard = [requireServiceKey(), usageKey(deps)] satisfies Guard;
  const request = async (c: Context<AppEnv>, feature: string, body: { user_id: string; amount: number }) =>
    ({
      userId: body.user_id,
      amount: body.amount,
      feature: countedFeature((await catalog.get(c.var.db)).tiers, feature),
      now: deps.clock(),
    }) satisfies UsageRequest;

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
      (c) => answer(c, async () => consume(await request(c, c.req.valid("param").feature, c.req.valid("json")))),
    )
    .openapi(
      usageRoute("release", "Give back part of a running total (documents deleted)", guard, idempotencyKey),
      (c) => answer(c, async () => release(await request(c, c.req.valid("param").feature, c.req.valid("json")))),
    );
}
