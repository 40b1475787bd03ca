import { createMiddleware } from "hono/factory";
import type { AppEnv } from "../../env.ts";
import { ApiError } from "../errors/api-error.ts";

// The media types the JSON validator reads; a body of any other type it would silently take as `{}`.
const JSON_TYPE = /^application\/([\w.-]+\+)?json$/i;

/**
 * Every endpoint takes JSON, so a body declared as something else is refused with 415 rather than
 * read as empty input. A request without Content-Type is left to validation: Node's server gives
 * even bodiless DELETEs a (empty) body stream, so the stream alone says nothing.
 */
export function jsonBodyOnly() {
  return createMiddleware<AppEnv>(async (c, next) => {
    const contentType = c.req.header("content-type");
    const mediaType = contentType?.split(";")[0]?.trim() ?? "";
    const declaredEmpty = c.req.header("content-length") === "0";
    if (contentType && !declaredEmpty && c.req.raw.body !== null && !JSON_TYPE.test(mediaType)) {
      throw new ApiError(
        415,
        "unsupported_media_type",
        "Request bodies must be JSON (Content-Type: application/json).",
      );
    }
    await next();
  });
}
