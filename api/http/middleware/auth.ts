import { createMiddleware } from "hono/factory";
import type { AppDeps, AppEnv, AuthUser } from "../../env.ts";
import { TokenError, verifyAccessToken } from "../../lib/tokens/access-token.ts";
import { ApiError, BEARER_CHALLENGE, INVALID_TOKEN_CHALLENGE } from "../errors/api-error.ts";

type Verifier = Pick<AppDeps, "keys" | "clock">;

/** The caller of a request's Bearer token, or the 401 to answer. */
export async function authenticate(deps: Verifier, header: string | undefined): Promise<AuthUser> {
  // The scheme name is case-insensitive (RFC 7235); the token is base64url segments.
  const match = header ? /^Bearer +([A-Za-z0-9\-_.]+)$/i.exec(header.trim()) : null;
  if (!match?.[1]) {
    throw new ApiError(401, "unauthorized", "A Bearer token is required.", {
      headers: { "WWW-Authenticate": BEARER_CHALLENGE },
    });
  }
  try {
    return await verifyAccessToken(deps.keys, match[1], deps.clock());
  } catch (error) {
    if (!(error instanceof TokenError)) throw error;
    throw new ApiError(401, error.code, error.message, { headers: { "WWW-Authenticate": INVALID_TOKEN_CHALLENGE } });
  }
}

/**
 * A valid Bearer token; puts the caller on `c.var.auth`. It reads nothing from the database: on
 * Workers that would be a round trip on every request. Whatever the caller does next reads their
 * row anyway, and the statement that reads it also checks the token's session (`sid`); the service
 * that finds either gone refuses with `callerGone` (401, like any invalid token). Rights are read
 * where they are needed (`requireAdmin`, `requireTier`), so a stale token grants nothing.
 */
export function requireAuth(deps: Verifier) {
  return createMiddleware<AppEnv>(async (c, next) => {
    c.set("auth", await authenticate(deps, c.req.header("Authorization")));
    await next();
  });
}
