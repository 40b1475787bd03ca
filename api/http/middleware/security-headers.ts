import { Hono } from "hono";
import { secureHeaders } from "hono/secure-headers";

/** The security headers on every API response: Hono's secureHeaders with its defaults. */
export const securityHeaders = () => secureHeaders();

/**
 * The same headers as a list, read once from the middleware itself so they have one definition.
 * The Node entry sets them on Node's own response object for every response instead (one setHeader
 * each): the middleware adds them to the Response's Headers one validated set at a time, which
 * @hono/node-server then copies out again, a tenth of the subscription page's CPU on Node.
 */
export async function securityHeaderList(): Promise<[string, string][]> {
  const probe = new Hono().use(securityHeaders()).get("/", (c) => c.body(null, 204));
  const res = await probe.request("/");
  return [...res.headers];
}
