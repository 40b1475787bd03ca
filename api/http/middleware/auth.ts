import { createMiddleware } from "hono/factory";
import type { AppDeps, AppEnv, AuthUser } from "../../env.ts";
import { ApiError } from "../errors/api-error.ts";
import { TokenError, verifyAccessToken } from "../../lib/tokens/access-token.ts";
import { isSessionLive } from "../../services/sessions/sessions.ts";
import { SubscriptionError } from "../../services/subscriptions/index.ts";

const CHALLENGE = 'Bearer realm="tierkit"';

function unauthorized(code: string, message: string, challenge = CHALLENGE): ApiError {
  return new ApiError(401, code, message, { headers: { "WWW-Authenticate": challenge } });
}

/** For a token that outlived its account or its session: the same answer as for any other invalid token. */
export const goneUser = () =>
  unauthorized(
    "invalid_token",
    "The token's user no longer exists or its session has ended.",
    `${CHALLENGE}, error="invalid_token"`,
  );

type Verifier = Pick<AppDeps, "keys" | "clock">;

/** The caller of a request's Bearer token, or the 401 to answer. */
export async function authenticate(deps: Verifier, header: string | undefined): Promise<AuthUser> {
  // The scheme name is case-insensitive (RFC 7235); the token is base64url segments.
  const match = header ? /^Bearer +([A-Za-z0-9\-_.]+)$/i.exec(header.trim()) : null;
  if (!match?.[1]) throw unauthorized("unauthorized", "A Bearer token is required.");
  try {
    return await verifyAccessToken(deps.keys, match[1], deps.clock());
  } catch (error) {
    if (!(error instanceof TokenError)) throw error;
    throw unauthorized(error.code, error.message, `${CHALLENGE}, error="invalid_token"`);
  }
}

/**
 * A valid Bearer token; puts the caller on `c.var.auth`. It reads nothing from the database: on
 * Workers that would be a round trip on every request. Whatever the caller does next reads their
 * row anyway and answers 401 when it is gone or the token's session has ended (the statement that
 * reads the caller also checks `sid`: `callerMustExist`, the profile routes, `requireAdmin`,
 * `requireTier`), and rights are read where they are needed, so a stale token grants nothing.
 */
export function requireAuth(deps: Verifier) {
  return createMiddleware<AppEnv>(async (c, next) => {
    c.set("auth", await authenticate(deps, c.req.header("Authorization")));
    await next();
  });
}

/**
 * For routes whose reads of the caller live in the subscription lifecycle, which does not take a
 * session: the session is checked by a statement of its own before anything runs. Use after
 * requireAuth.
 */
export const requireLiveSession = createMiddleware<AppEnv>(async (c, next) => {
  const { userId, sid } = c.var.auth;
  if (sid !== undefined && !(await isSessionLive(c.var.db, userId, sid))) throw goneUser();
  await next();
});

/**
 * On the caller's own resources "no such user" means the token outlived its account, so it is
 * answered like any invalid token (401), not as a missing resource (404).
 */
export const callerMustExist = createMiddleware<AppEnv>(async (c, next) => {
  await next();
  if (c.error instanceof SubscriptionError && c.error.code === "user_not_found") {
    const gone = goneUser();
    c.res = c.json(gone.body, gone.status, gone.headers);
  }
});
