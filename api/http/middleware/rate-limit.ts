import type { Context } from "hono";
import { createMiddleware } from "hono/factory";
import { read } from "../../../db/client/reads.ts";
import type { AppDeps, AppEnv } from "../../env.ts";
import { normalizeAddress, resolveClientAddress } from "../../lib/client-address.ts";
import { countHits, type RateLimit, type RateLimitRefusal } from "../../services/rate-limits.ts";
import { ApiError } from "../errors/api-error.ts";
import { WEB_HOP_HEADER } from "../web-hop.ts";

/** 429 with the seconds until the refusing limit's window closes. */
export function rateLimited(refusal: RateLimitRefusal, now: Date): ApiError {
  const retryAfter = Math.max(1, Math.ceil((refusal.resetAt.getTime() - now.getTime()) / 1000));
  return new ApiError(429, "rate_limited", `Too many requests; try again in ${retryAfter} seconds.`, {
    headers: { "Retry-After": String(retryAfter) },
  });
}

/** Counts `limits` in order (see countHits) in a statement of their own; over one it refuses with 429. */
async function enforceRateLimits(c: Context<AppEnv>, deps: Pick<AppDeps, "clock">, limits: RateLimit[]) {
  const now = deps.clock();
  const refusal = await read(c.var.db, countHits(limits, now));
  if (refusal) throw rateLimited(refusal, now);
}

const pending = new WeakMap<Context, RateLimit>();

/**
 * A limit on every request of the route, the ones its input validation refuses included, so that
 * garbage is not free. Fixed windows kept in the database, so it holds across Worker isolates.
 *
 * On the Worker a statement is a round trip, so the route's handler counts it in its own first
 * statement (`takeRequestLimit`, before its own limits: the same order as counting it first). A
 * request that never got there (its body failed validation) is counted after the handler, and over
 * the limit its answer becomes the 429 it would have got first.
 */
export function requestLimit(
  deps: Pick<AppDeps, "clock">,
  limit: Omit<RateLimit, "key">,
  key: (c: Context<AppEnv>) => string,
) {
  return createMiddleware<AppEnv>(async (c, next) => {
    pending.set(c, { ...limit, key: key(c) });
    await next();
    const untaken = pending.get(c);
    if (!untaken) return;
    pending.delete(c);
    await enforceRateLimits(c, deps, [untaken]);
  });
}

/** The route's requestLimit, for the handler to count now; the middleware then does not count it again. */
export function takeRequestLimit(c: Context<AppEnv>): RateLimit {
  const limit = pending.get(c);
  if (!limit) throw new Error("takeRequestLimit needs requestLimit on the route");
  pending.delete(c);
  return limit;
}

// Constant time, so the secret cannot be guessed a character at a time from response times.
function sameSecret(given: string, expected: string): boolean {
  const a = new TextEncoder().encode(given);
  const b = new TextEncoder().encode(expected);
  let difference = a.length ^ b.length;
  for (let i = 0; i < b.length; i += 1) difference |= (a[i] ?? 0) ^ (b[i] as number);
  return difference === 0;
}

/**
 * The client's address for rate limits: the visitor named by our own web server (which proves
 * itself with WEB_API_SECRET), else what TRUST_PROXY lets a proxy say, else the socket's peer.
 * Only in-process requests (tests) have none of these and share the "unknown" key.
 */
export function clientAddress(c: Context<AppEnv>, deps: Pick<AppDeps, "clientAddress">): string {
  const settings = deps.clientAddress ?? { trustProxy: { kind: "none" } };
  const header = (name: string) => c.req.header(name);
  const hop = header(WEB_HOP_HEADER);
  if (settings.webHopSecret && hop && sameSecret(hop, settings.webHopSecret)) {
    const visitor = header("x-forwarded-for")?.split(",")[0]?.trim();
    if (visitor) return normalizeAddress(visitor);
  }
  return resolveClientAddress(settings.trustProxy, { socketAddress: settings.socketAddress?.(c), header }) ?? "unknown";
}
