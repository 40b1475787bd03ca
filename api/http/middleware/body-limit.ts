import { bodyLimit } from "hono/body-limit";
import { createMiddleware } from "hono/factory";
import type { AppEnv } from "../../env.ts";
import { ApiError } from "../errors/api-error.ts";

/**
 * Hono's bodyLimit, not run for GET and HEAD: a request of those methods has no body (the Fetch
 * standard forbids one), and bodyLimit's look at `c.req.raw.body` makes @hono/node-server build a
 * full Request (an AbortController, undici's header checks) that a read otherwise never needs.
 */
export function limitBody(maxBytes: number) {
  const limit = bodyLimit({
    maxSize: maxBytes,
    onError: () => {
      throw new ApiError(413, "payload_too_large", `Request bodies are limited to ${maxBytes} bytes.`);
    },
  });
  return createMiddleware<AppEnv>((c, next) =>
    c.req.method === "GET" || c.req.method === "HEAD" ? next() : limit(c, next),
  );
}
