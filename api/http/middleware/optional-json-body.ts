import { createMiddleware } from "hono/factory";
import type { AppEnv } from "../../env.ts";

/**
 * For a route whose JSON body is declared optional (DELETE /cancel): an empty body, even one sent
 * with Content-Type: application/json, is no body. The body is read once here (Hono keeps what was
 * read for the validator and the idempotency hash); when it is empty the request goes on without
 * its Content-Type, which @hono/zod-openapi reads as "no body" and validates as `{}`.
 */
export const emptyBodyIsNoBody = createMiddleware<AppEnv>(async (c, next) => {
  if (c.req.header("content-type") && (await c.req.text()).trim() === "") {
    const headers = new Headers(c.req.raw.headers);
    headers.delete("content-type");
    c.req.raw = new Request(c.req.raw.url, { method: c.req.method, headers, signal: c.req.raw.signal });
  }
  await next();
});
