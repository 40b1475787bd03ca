import type { ContentfulStatusCode } from "hono/utils/http-status";

/** The one error body every endpoint answers with. */
export interface ErrorBody {
  success: false;
  error: { code: string; message: string; details?: unknown };
}

/** An expected refusal at the HTTP boundary; the error handler turns it into `ErrorBody`. */
export class ApiError extends Error {
  readonly status: ContentfulStatusCode;
  readonly code: string;
  readonly details?: unknown;
  readonly headers?: Record<string, string>;

  constructor(
    status: ContentfulStatusCode,
    code: string,
    message: string,
    options: { details?: unknown; headers?: Record<string, string> } = {},
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
