import type { Context } from "hono";
import { createMiddleware } from "hono/factory";
import { HTTPException } from "hono/http-exception";
import type { ContentfulStatusCode } from "hono/utils/http-status";
import type { Database } from "../../../db/client/types.ts";
import type { AppDeps, AppEnv, AuthUser } from "../../env.ts";
import {
  claimKey,
  type KeyScope,
  releaseKey,
  SERVICE_KEYS,
  storeResponse,
  USER_KEYS,
} from "../../services/idempotency.ts";
import { callerGone } from "../../services/service-error.ts";
import { ApiError, InvalidRequest } from "../errors/api-error.ts";
import { hashRequest } from "../request-hash.ts";
import { idempotencyKeyHeader } from "../schemas/subscription.ts";
import { issueToken } from "../session-token.ts";

export const IDEMPOTENCY_HEADER = "Idempotency-Key";

interface Owner {
  scope: KeyScope;
  id: (c: Context<AppEnv>) => string;
  /** The answer when the owner's row is gone (the key row references it). */
  gone: () => Error;
  /** Turns a stored body into the replayed one. */
  replay: (c: Context<AppEnv>, body: unknown) => Promise<unknown>;
  /** Turns a fresh answer into what is kept at rest. */
  store: (body: unknown) => unknown;
}

/**
 * Optional Idempotency-Key support for a changing endpoint, as route middleware after requireAuth
 * (keys belong to the caller). Route middleware runs before the route's validators, so a request
 * they refuse (it never ran) releases the key, like Stripe stores nothing for it. Successes and
 * domain refusals (4xx) are stored and replayed for 24 h; server errors release the key so a retry
 * runs again.
 */
export function idempotent(deps: Pick<AppDeps, "clock" | "keys" | "accessTokenTtlSeconds">) {
  return idempotentFor(deps, {
    scope: USER_KEYS,
    id: (c) => c.var.auth.userId,
    gone: callerGone,
    replay: (c, body) => withFreshToken(deps, c.var.db, c.var.auth, body),
    store: withoutToken,
  });
}

/** The same for a service calling with a service key: its keys are its own, and bodies hold no token. */
export function serviceIdempotent(deps: Pick<AppDeps, "clock">, gone: () => Error) {
  return idempotentFor(deps, {
    scope: SERVICE_KEYS,
    id: (c) => c.var.service.id,
    gone,
    replay: async (_c, body) => body,
    store: (body) => body,
  });
}

function idempotentFor(deps: Pick<AppDeps, "clock">, owner: Owner) {
  return createMiddleware<AppEnv>(async (c, next) => {
    const header = c.req.header(IDEMPOTENCY_HEADER);
    if (header === undefined) return next();
    const parsed = idempotencyKeyHeader.safeParse(header);
    if (!parsed.success) {
      throw new ApiError(
        400,
        "invalid_idempotency_key",
        `${IDEMPOTENCY_HEADER} must be 1–255 printable ASCII characters.`,
        {
          details: parsed.error.issues.map((issue) => ({ path: IDEMPOTENCY_HEADER, message: issue.message })),
        },
      );
    }
    const db = c.var.db;
    const ref = { ownerId: owner.id(c), key: parsed.data };
    const requestHash = await hashRequest(c.req.method, c.req.path, await c.req.text());
    const claim = await claimKey(db, owner.scope, { ...ref, requestHash, now: deps.clock() });

    if (claim.kind === "no_user") throw owner.gone();
    if (claim.kind === "replay") {
      const body = await owner.replay(c, claim.body);
      return c.json(body, claim.statusCode as ContentfulStatusCode, { "Idempotent-Replayed": "true" });
    }
    if (claim.kind === "reused") {
      throw new ApiError(
        422,
        "idempotency_key_reused",
        `This ${IDEMPOTENCY_HEADER} was already used with a different request; use a new key.`,
      );
    }
    if (claim.kind === "in_progress") {
      throw new ApiError(
        409,
        "idempotency_in_progress",
        `A request with this ${IDEMPOTENCY_HEADER} is still running.`,
        {
          headers: { "Retry-After": "1" },
        },
      );
    }

    try {
      await next();
    } catch (error) {
      await releaseKey(db, owner.scope, ref);
      throw error;
    }
    const body =
      c.res.status < 500 && !neverRan(c.error)
        ? await c.res
            .clone()
            .json()
            .catch(() => undefined)
        : undefined;
    if (body === undefined) await releaseKey(db, owner.scope, ref);
    else await storeResponse(db, owner.scope, { ...ref, statusCode: c.res.status, body: owner.store(body) });
  });
}

// The route's validators (or Hono's body parsing) refused the request before its handler ran.
const neverRan = (error: Error | undefined) => error instanceof InvalidRequest || error instanceof HTTPException;

// A bearer token is a credential: the replay record keeps only the slot, and a replay fills it
// with a token signed now (the tier it carries is the user's current one, as on the first answer).
function withoutToken(body: unknown): unknown {
  return isObject(body) && "token" in body ? { ...body, token: null } : body;
}

async function withFreshToken(
  deps: Pick<AppDeps, "clock" | "keys" | "accessTokenTtlSeconds">,
  db: Database,
  caller: AuthUser,
  body: unknown,
) {
  return isObject(body) && "token" in body
    ? { ...body, token: await issueToken(deps, db, caller.userId, caller.sid) }
    : body;
}

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === "object" && value !== null && !Array.isArray(value);
