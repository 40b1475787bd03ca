import type { HttpBindings } from "@hono/node-server";
import {
  requestIdFor,
  SERVER_HEADERS,
  type ServerHeaders,
  securityHeaderList,
} from "../http/middleware/response-headers.ts";

type Fetch = (request: Request, env: HttpBindings & ServerHeaders) => Response | Promise<Response>;

/**
 * The app's fetch on Node with the fixed response headers set here, on Node's own response object
 * (one setHeader each, merged by writeHead, where the app's own headers win): the request's id in
 * X-Request-Id, named by the same rule the app's middleware applies elsewhere, and the security
 * headers. The app takes the id from the bindings and adds neither (api/http/middleware/response-headers.ts).
 */
export async function withServerHeaders(fetch: Fetch) {
  const security = await securityHeaderList();
  return (request: Request, env: HttpBindings) => {
    const sent = env.incoming.headers["x-request-id"];
    const requestId = requestIdFor(Array.isArray(sent) ? sent.join(", ") : sent);
    env.outgoing.setHeader("X-Request-Id", requestId);
    for (const [name, value] of security) env.outgoing.setHeader(name, value);
    return fetch(request, { ...env, [SERVER_HEADERS]: { requestId } });
  };
}
