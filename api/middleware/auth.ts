import { createMiddleware } from "hono/factory";
import type { AppDeps, AppEnv } from "../env.ts";
import { ApiError } from "../lib/api-error.ts";
import { TokenError, verifyToken } from "../lib/jwt.ts";
import { findUserRights } from "../services/users.ts";

const CHALLENGE = 'Bearer realm="tierkit"';

function unauthorized(code: string, message: string, challenge = CHALLENGE): ApiError {
  return new ApiError(401, code, message, { headers: { "WWW-Authenticate": challenge } });
}

/** A valid Bearer token of a user who still exists; puts the caller on `c.var.auth`. */
export function requireAuth(deps: Pick<AppDeps, "jwtSecret" | "clock">) {
  return createMiddleware<AppEnv>(async (c, next) => {
    const header = c.req.header("Authorization");
    // The scheme name is case-insensitive (RFC 7235); the token is base64url segments.
    const match = header ? /^Bearer +([A-Za-z0-9\-_.]+)$/i.exec(header.trim()) : null;
    if (!match?.[1]) throw unauthorized("unauthorized", "A Bearer token is required.");
    let auth;
    try {
      auth = await verifyToken(deps.jwtSecret, match[1], deps.clock());
    } catch (error) {
      if (!(error instanceof TokenError)) throw error;
      throw unauthorized(error.code, error.message, `${CHALLENGE}, error="invalid_token"`);
    }
    const rights = await findUserRights(c.var.db, auth.userId);
    if (!rights) {
      throw unauthorized("invalid_token", "The token's user no longer exists.", `${CHALLENGE}, error="invalid_token"`);
    }
    c.set("auth", { ...auth, isAdmin: rights.isAdmin });
    await next();
  });
}
