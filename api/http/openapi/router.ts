import { OpenAPIHono, z } from "@hono/zod-openapi";
import type { AppEnv } from "../../env.ts";
import { ApiError } from "../errors/api-error.ts";

/** The one error body every endpoint answers with; `details` lists the fields a refusal is about. */
export const ErrorEnvelope = z
  .object({
    success: z.literal(false),
    error: z.object({
      code: z.string(),
      message: z.string(),
      details: z.array(z.object({ path: z.string(), message: z.string() })).optional(),
    }),
  })
  .openapi("Error");

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

/** Response definitions for the error statuses a route answers, all with the envelope schema. */
export function errorResponses<S extends ErrorStatus>(...statuses: S[]) {
  return Object.fromEntries(
    statuses.map((status) => [
      status,
      { description: ERROR_DESCRIPTIONS[status], content: { "application/json": { schema: ErrorEnvelope } } },
    ]),
  ) as unknown as { [K in S]: { description: string; content: { "application/json": { schema: typeof ErrorEnvelope } } } };
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
 * Every router is built here so a failed request schema becomes the one validation error:
 * code validation_error, a message naming the first field, details per field.
 */
export function createRouter() {
  return new OpenAPIHono<AppEnv>({
    defaultHook: (result) => {
      if (result.success) return;
      const details = result.error.issues.map((issue) => ({
        path: issue.path.map(String).join("."),
        message: issue.message,
      }));
      const first = details[0];
      const message = first ? (first.path ? `${first.path}: ${first.message}` : first.message) : "Invalid request.";
      throw new ApiError(400, "validation_error", message, { details });
    },
  });
}
