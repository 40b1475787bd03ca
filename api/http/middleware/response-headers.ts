import type { Context } from "hono";
import { Hono } from "hono";
import { createMiddleware } from "hono/factory";
import { secureHeaders } from "hono/secure-headers";
import type { AppEnv } from "../../env.ts";

/**
 * In the bindings of a server that sends the fixed response headers itself (the Node entry,
 * api/server/server-headers.ts): it names the request, answers the name in X-Request-Id and sets
 * securityHeaderList(). The app then adds neither to the Response, where each header is a validated
 * set on a Headers object that @hono/node-server copies out again: a response with no header but
 * its Content-Type takes node-server's plain path.
 */
export const SERVER_HEADERS = Symbol("tierkit.serverHeaders");

export interface ServerHeaders {
  [SERVER_HEADERS]: { requestId: string };
}

const fromServer = (c: Context) => (c.env as Partial<ServerHeaders> | undefined)?.[SERVER_HEADERS];

/** The id a request goes by: the caller's X-Request-Id when short and plain (Hono's rule), else a new one. */
export function requestIdFor(sent: string | null | undefined): string {
  return sent && sent.length <= 255 && !/[^\w\-=]/.test(sent) ? sent : crypto.randomUUID();
}

/** The security headers on every API response: Hono's secureHeaders with its defaults. */
const securityHeaders = () => secureHeaders();

/**
 * Puts the request's id on `c.var.requestId`, answers it in X-Request-Id and adds the security
 * headers (to error answers too: secureHeaders sets them after the rest has answered). One
 * middleware for both, as every layer of the chain costs every request.
 */
export function responseHeaders() {
  const security = securityHeaders();
  return createMiddleware<AppEnv>((c, next) => {
    const server = fromServer(c);
    if (server) {
      c.set("requestId", server.requestId);
      return next();
    }
    const id = requestIdFor(c.req.header("X-Request-Id"));
    c.set("requestId", id);
    c.header("X-Request-Id", id);
    return security(c, next);
  });
}

/** The security headers as a list, read once from the middleware itself, for a server that sets them. */
export async function securityHeaderList(): Promise<[string, string][]> {
  const probe = new Hono().use(securityHeaders()).get("/", (c) => c.body(null, 204));
  const res = await probe.request("/");
  return [...res.headers];
}
