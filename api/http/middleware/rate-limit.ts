import type { Context } from "hono";
import { createMiddleware } from "hono/factory";
import type { AppDeps, AppEnv } from "../../env.ts";
import { normalizeAddress, resolveClientAddress } from "../../lib/client-address.ts";
import { hitRateLimit } from "../../services/rate-limits.ts";
import { ApiError } from "../errors/api-error.ts";
import { WEB_HOP_HEADER } from "../web-hop.ts";

export interface RateLimitOptions {
  limit: number;
  windowSeconds: number;
}

/** Counts one hit for `key`; over the limit it refuses with 429 and the seconds until the window resets. */
export async function enforceRateLimit(
  c: Context<AppEnv>,
  deps: Pick<AppDeps, "clock">,
  options: RateLimitOptions & { key: string },
): Promise<void> {
  const now = deps.clock();
  const result = await hitRateLimit(c.var.db, { ...options, now });
  if (result.allowed) return;
  const retryAfter = Math.max(1, Math.ceil((result.resetAt.getTime() - now.getTime()) / 1000));
  throw new ApiError(429, "rate_limited", `Too many requests; try again in ${retryAfter} seconds.`, {
    headers: { "Retry-After": String(retryAfter) },
  });
}

/** Fixed-window limit kept in the database, so it holds across Worker isolates. */
export function rateLimit(
  deps: Pick<AppDeps, "clock">,
  options: RateLimitOptions & { key: (c: Context<AppEnv>) => string },
) {
  return createMiddleware<AppEnv>(async (c, next) => {
    await enforceRateLimit(c, deps, { ...options, key: options.key(c) });
    await next();
  });
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
