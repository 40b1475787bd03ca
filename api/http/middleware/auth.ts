import { createMiddleware } from "hono/factory";
import type { AppDeps, AppEnv } from "../../env.ts";
import { ApiError, BEARER_CHALLENGE, INVALID_TOKEN_CHALLENGE } from "../errors/api-error.ts";
import { TokenError, verifyToken } from "../../lib/jwt.ts";

/**
 * A valid Bearer token; puts the caller on `c.var.auth`. It reads nothing from the database: on
 * Workers that would be a round trip on every request. Whatever the caller does next reads their
 * row anyway, and the service that finds it gone refuses with `callerGone` (401, like any invalid
 * token); rights are read where they are needed (`requireAdmin`, `requireTier`), so a stale token
 * grants nothing.
 */
export function requireAuth(deps: Pick<AppDeps, "jwtSecret" | "clock">) {
  return createMiddleware<AppEnv>(async (c, next) => {
    const header = c.req.header("Authorization");
    // The scheme name is case-insensitive (RFC 7235); the token is base64url segments.
    const match = header ? /^Bearer +([A-Za-z0-9\-_.]+)$/i.exec(header.trim()) : null;
    if (!match?.[1]) {
      throw new ApiError(401, "unauthorized", "A Bearer token is required.", {
        headers: { "WWW-Authenticate": BEARER_CHALLENGE },
      });
    }
    try {
      c.set("auth", await verifyToken(deps.jwtSecret, match[1], deps.clock()));
    } catch (error) {
      if (!(error instanceof TokenError)) throw error;
      throw new ApiError(401, error.code, error.message, { headers: { "WWW-Authenticate": INVALID_TOKEN_CHALLENGE } });
    }
    await next();
  });
}
