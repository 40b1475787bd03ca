import { createRoute, OpenAPIHono, type RouteConfig, type z } from "@hono/zod-openapi";
import type { AppEnv } from "../../env.ts";
import { InvalidRequest } from "../errors/api-error.ts";
import { ErrorEnvelope } from "../schemas/error-envelope.ts";

export { ErrorEnvelope } from "../schemas/error-envelope.ts";

const ERROR_DESCRIPTIONS = {
  400: "The request is malformed or fails validation.",
  401: "Missing, invalid or expired credentials.",
  402: "The payment was declined.",
  403: "The caller may not do this.",
  404: "Not found.",
  409: "The request conflicts with the current state.",
  413: "The body is too large.",
  415: "The body is not JSON.",
  422: "The request is well-formed but cannot be processed.",
  429: "Too many requests; retry after the Retry-After header.",
  500: "Unexpected server error.",
  503: "A dependency is unavailable; retry after the Retry-After header.",
} as const;

export type ErrorStatus = keyof typeof ERROR_DESCRIPTIONS;

type ErrorResponse = { description: string; content: { "application/json": { schema: typeof ErrorEnvelope } } };

/** Response definitions for the error statuses a route answers, all with the envelope schema. */
export function errorResponses<S extends ErrorStatus>(...statuses: S[]) {
  return Object.fromEntries(
    statuses.map((status) => [
      status,
      { description: ERROR_DESCRIPTIONS[status], content: { "application/json": { schema: ErrorEnvelope } } },
    ]),
  ) as unknown as { [K in S]: ErrorResponse };
}

/** A JSON response definition. */
export function jsonResponse<T extends z.ZodType>(schema: T, description: string) {
  return { description, content: { "application/json": { schema } } };
}

/** A JSON request body definition (required unless said otherwise). */
export function jsonBody<T extends z.ZodType>(schema: T, required = true) {
  return { required, content: { "application/json": { schema } } };
}

/**
 * Who may call a route: anyone, any valid Bearer token, a token whose user is an admin now, or a
 * service key (requireServiceKey) with the route's scope.
 */
export type Access = "public" | "user" | "admin" | "service";

export const BEARER_SCHEME = "bearerAuth";
export const SERVICE_KEY_SCHEME = "serviceKey";

/**
 * The refusals the app's own middleware can answer on a route, so a route definition states only its
 * own: 500 anywhere; 503 where it reads the database (database middleware, drivers); 413 and 415
 * where a body may be sent (bodyLimit, jsonBodyOnly); 400 where the route validates input; 401 for a
 * token or service-key route (requireAuth, callerGone, requireServiceKey); 403 for an admin route
 * (requireAdmin) and a service route (the key lacks the scope).
 */
function middlewareErrors(access: Access, route: RouteConfig, readsDatabase: boolean) {
  const statuses: ErrorStatus[] = [500];
  if (readsDatabase) statuses.push(503);
  if (route.method !== "get" && route.method !== "head") statuses.push(413, 415);
  const request = route.request ?? {};
  if (request.params || request.query || request.headers || request.body || route.parameters?.length)
    statuses.push(400);
  if (access !== "public") statuses.push(401);
  if (access === "admin" || access === "service") statuses.push(403);
  return errorResponses(...statuses);
}

/**
 * createRoute with the caller's access (security requirement and `x-access` for the docs page) and
 * the middleware-caused refusals added; the route's own responses (2xx, 304, its domain errors)
 * come from `config`.
 */
export function apiRoute<
  P extends string,
  R extends Omit<RouteConfig, "path"> & { path: P; summary: string; description: string },
>(access: Access, config: R, options: { readsDatabase?: boolean } = {}) {
  return createRoute({
    ...config,
    security: access === "public" ? [] : [{ [access === "service" ? SERVICE_KEY_SCHEME : BEARER_SCHEME]: [] }],
    "x-access": access,
    responses: {
      ...middlewareErrors(access, config as RouteConfig, options.readsDatabase ?? true),
      ...config.responses,
    },
  }) as ReturnType<typeof createRoute<P, R>>;
}

/**
 * A header listed in the document as a reusable parameter (components/parameters) without a request
 * schema: for headers middleware reads itself, and optional ones the typed client should not demand.
 * `schema` carries its name and place via `.openapi(refId, { param: { name, in: "header" } })`.
 */
export function headerParameter(router: OpenAPIHono<AppEnv>, refId: string, schema: z.ZodType) {
  router.openAPIRegistry.registerParameter(refId, schema);
  return { $ref: `#/components/parameters/${refId}` };
}

function fieldMessage(issue: z.core.$ZodIssue): string {
  return issue.path.length ? `${issue.path.map(String).join(".")}: ${issue.message}` : issue.message;
}

/**
 * Every router is built here so a failed request schema becomes the one validation error:
 * code validation_error, a message naming the first field, details per field.
 */
export function createRouter() {
  return new OpenAPIHono<AppEnv>({
    defaultHook: (result) => {
      if (result.success) return;
      const { issues } = result.error;
      const details = issues.map((issue) => ({ path: issue.path.map(String).join("."), message: issue.message }));
      throw new InvalidRequest("validation_error", issues[0] ? fieldMessage(issues[0]) : "Invalid request.", details);
    },
  });
}
