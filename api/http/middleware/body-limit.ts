import { bodyLimit } from "hono/body-limit";
import { createMiddleware } from "hono/factory";
import type { AppEnv } from "../../env.ts";
import { ApiError } from "../errors/api-error.ts";
import { jsonBodyOnly } from "./json-body.ts";

/**
 * Bodies of at most `maxBytes`, and JSON only (jsonBodyOnly), in one middleware; not run for GET
 * and HEAD. Those have no body (the Fetch standard forbids one), and Hono's bodyLimit looks at
 * `c.req.raw.body`, which makes @hono/node-server build a full Request (an AbortController,
 * undici's header checks) that a read otherwise never needs.
 */
export function bodyChecks(maxBytes: number) {
  const limit = bodyLimit({
    maxSize: maxBytes,
    onError: () => {
      throw new ApiError(413, "payload_too_large", `Request bodies are limited to ${maxBytes} bytes.`);
    },
  });
  const jsonOnly = jsonBodyOnly();
  return createMiddleware<AppEnv>((c, next) => {
    if (c.req.method === "GET" || c.req.method === "HEAD") return next();
    return limit(c, async () => {
      await jsonOnly(c, next);
    });
  });
}
