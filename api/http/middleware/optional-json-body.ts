import { createMiddleware } from "hono/factory";
import type { AppEnv } from "../../env.ts";

/**
 * For endpoints whose JSON body is optional (DELETE /cancel): an empty body, even one sent with
 * Content-Type: application/json, reads as `{}` instead of failing as malformed JSON. Hono parses
 * JSON from its cached text, so replacing the cached text is enough.
 */
export const optionalJsonBody = createMiddleware<AppEnv>(async (c, next) => {
  const text = await c.req.text();
  if (text.trim() === "") (c.req.bodyCache as { text?: Promise<string> }).text = Promise.resolve("{}");
  await next();
});
