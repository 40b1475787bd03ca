import type { Context, ErrorHandler, NotFoundHandler } from "hono";
import { HTTPException } from "hono/http-exception";
import type { ContentfulStatusCode } from "hono/utils/http-status";
import type { AppEnv, LogEntry } from "../../env.ts";
import { isDatabaseUnavailable } from "../../lib/database-unavailable.ts";
import { describeError } from "../../lib/log-json.ts";
import { ServiceError, type ServiceErrorKind } from "../../services/service-error.ts";
import { ApiError, BEARER_CHALLENGE, type ErrorBody, INVALID_TOKEN_CHALLENGE, InvalidRequest } from "./api-error.ts";

/** The one mapping from a service's kind of refusal to an HTTP status. */
const STATUS_OF_KIND: Record<ServiceErrorKind, ContentfulStatusCode> = {
  invalid: 400,
  unauthenticated: 401,
  payment_failed: 402,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  limit_reached: 429,
  unavailable: 503,
};
const DATABASE_RETRY_SECONDS = "5";

const errorBody = (code: string, message: string): ErrorBody => ({ success: false, error: { code, message } });

function toApiError(err: Error): ApiError | null {
  if (err instanceof ApiError) return err;
  if (err instanceof ServiceError) {
    const headers: Record<string, string> = {};
    if (err.retryAfter !== undefined) headers["Retry-After"] = String(err.retryAfter);
    if (err.kind === "unauthenticated") headers["WWW-Authenticate"] = INVALID_TOKEN_CHALLENGE;
    return new ApiError(STATUS_OF_KIND[err.kind], err.code, err.message, { details: err.details, headers });
  }
  if (err instanceof HTTPException) {
    const status = err.status as ContentfulStatusCode;
    if (status === 400 && /malformed json/i.test(err.message)) {
      return new InvalidRequest("invalid_json", "The request body is not valid JSON.");
    }
    const code =
      status === 413
        ? "payload_too_large"
        : status === 415
          ? "unsupported_media_type"
          : status >= 500
            ? "internal_error"
            : "bad_request";
    return new ApiError(status, code, err.message || "The request could not be processed.");
  }
  if (isDatabaseUnavailable(err)) {
    return new ApiError(503, "database_unavailable", "The database is unavailable; please retry shortly.", {
      headers: { "Retry-After": DATABASE_RETRY_SECONDS },
    });
  }
  return null;
}

/** RFC 7235: a 401 always says which scheme would work. */
function withChallenge(error: ApiError): Record<string, string> | undefined {
  if (error.status !== 401 || error.headers?.["WWW-Authenticate"]) return error.headers;
  return { ...error.headers, "WWW-Authenticate": BEARER_CHALLENGE };
}

/** Every failure leaves as `ErrorBody`; unexpected ones are logged with the request id and hidden. */
export function errorHandler(log: (entry: LogEntry) => void): ErrorHandler<AppEnv> {
  return (err, c) => {
    const requestId = c.get("requestId");
    const known = toApiError(err);
    if (known) {
      if (known.status >= 500) log({ level: "warn", msg: known.code, request_id: requestId, ...describeError(err) });
      return c.json(known.body, known.status, withChallenge(known));
    }
    // The request id (in the X-Request-Id header) is what support needs to find the log line.
    log({ level: "error", msg: "unhandled error", request_id: requestId, ...describeError(err) });
    return c.json(errorBody("internal_error", `Something went wrong (request ${requestId}).`), 500);
  };
}

export const notFoundHandler: NotFoundHandler<AppEnv> = (c: Context<AppEnv>) =>
  c.json(errorBody("not_found", `No route for ${c.req.method} ${c.req.path}.`), 404);
