import type { ContentfulStatusCode } from "hono/utils/http-status";
import type { ErrorBody, FieldProblem } from "../schemas/error-envelope.ts";

export type { ErrorBody } from "../schemas/error-envelope.ts";

/** An expected refusal at the HTTP boundary; the error handler turns it into `ErrorBody`. */
export class ApiError extends Error {
  readonly status: ContentfulStatusCode;
  readonly code: string;
  readonly details?: FieldProblem[];
  readonly headers?: Record<string, string>;

  constructor(
    status: ContentfulStatusCode,
    code: string,
    message: string,
    options: { details?: FieldProblem[]; headers?: Record<string, string> } = {},
  ) {
    super(message);
    this.name = "ApiError";
    this.status = status;
    this.code = code;
    this.details = options.details;
    this.headers = options.headers;
  }

  get body(): ErrorBody {
    const error: ErrorBody["error"] = { code: this.code, message: this.message };
    if (this.details !== undefined) error.details = this.details;
    return { success: false, error };
  }
}

/**
 * The request itself failed its route's schema (or was not JSON), so no handler ran: nothing about
 * it is worth remembering (idempotency stores no answer for it).
 */
export class InvalidRequest extends ApiError {
  constructor(code: "validation_error" | "invalid_json", message: string, details?: FieldProblem[]) {
    super(400, code, message, { details });
    this.name = "InvalidRequest";
  }
}

/** RFC 7235: every 401 names the scheme that would work. */
export const BEARER_CHALLENGE = 'Bearer realm="tierkit"';
export const INVALID_TOKEN_CHALLENGE = `${BEARER_CHALLENGE}, error="invalid_token"`;
