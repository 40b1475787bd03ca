import type { Context } from "hono";
import { createMiddleware } from "hono/factory";
import type { AppDeps, AppEnv } from "../../env.ts";
import { ApiError } from "../errors/api-error.ts";
import { hitRateLimit } from "../../services/rate-limits.ts";

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

/** The client as Cloudflare reports it, else the first proxy hop, else one shared "unknown" bucket. */
export function clientIp(c: Context): string {
  const cloudflare = c.req.header("cf-connecting-ip")?.trim();
  if (cloudflare) return cloudflare;
  const forwarded = c.req.header("x-forwarded-for")?.split(",")[0]?.trim();
  return forwarded || "unknown";
}
