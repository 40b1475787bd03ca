import type { Context } from "hono";
import { createMiddleware } from "hono/factory";
import type { ContentfulStatusCode } from "hono/utils/http-status";
import type { Database } from "../../../db/client/types.ts";
import type { AppDeps, AppEnv, AuthUser } from "../../env.ts";
import { ApiError } from "../errors/api-error.ts";
import { hashRequest } from "../request-hash.ts";
import { issueToken } from "../session-token.ts";
import { idempotencyKeyHeader } from "../schemas/subscription.ts";
import {
  type KeyScope,
  SERVICE_KEYS,
  USER_KEYS,
  claimKey,
  releaseKey,
  storeResponse,
} from "../../services/idempotency.ts";
import { goneUser } from "./auth.ts";

export const IDEMPOTENCY_HEADER = "Idempotency-Key";

interface Owner {
  scope: KeyScope;
  id: (c: Context<AppEnv>) => string;
  /** The answer when the owner's row is gone (the key row references it). */
  gone: () => ApiError;
  /** Turns a stored body into the replayed one. */
  replay: (c: Context<AppEnv>, body: unknown) => Promise<unknown>;
  /** Turns a fresh answer into what is kept at rest. */
  store: (body: unknown) => unknown;
}

/**
 * Optional Idempotency-Key support for a changing endpoint. Mounted after requireAuth (keys belong
 * to the caller) and after validation (a request that fails validation never ran, so like Stripe we
 * store nothing for it). Successes and domain refusals (4xx) are stored and replayed for 24 h;
 * server errors release the key so a retry runs again.
 */
export function idempotent(deps: Pick<AppDeps, "clock" | "keys" | "accessTokenTtlSeconds">) {
  return idempotentFor(deps, {
    scope: USER_KEYS,
    id: (c) => c.var.auth.userId,
    gone: goneUser,
    replay: (c, body) => withFreshToken(deps, c.var.db, c.var.auth, body),
    store: withoutToken,
  });
}

/** The same for a service calling with a service key: its keys are its own, and bodies hold no token. */
export function serviceIdempotent(deps: Pick<AppDeps, "clock">, gone: () => ApiError) {
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
        }
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
        `This ${IDEMPOTENCY_HEADER} was already used with a different request; use a new key.`
      );
    }
    if (claim.kind === "in_progress") {
      throw new ApiError(
        409,
        "idempotency_in_progress",
        `A request with this ${IDEMPOTENCY_HEADER} is still running.`,
        {
          headers: { "Retry-After": "1" },
        }
      );
    }

    try {
      await next();
    } catch (error) {
      await releaseKey(db, owner.scope, ref);
      throw error;
    }
    const body =
      c.res.status < 500
        ? await c.res
            .clone()
            .json()
            .catch(() => undefined)
        : undefined;
    // Stripe saves no result for a request whose parameters failed validation: it never ran. (On
    // routes whose schemas are checked after this middleware, the failure arrives here as a body.)
    if (body === undefined || failedValidation(body)) await releaseKey(db, owner.scope, ref);
    else await storeResponse(db, owner.scope, { ...ref, statusCode: c.res.status, body: owner.store(body) });
  });
}

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
  return isObject(body) && "token" in body ? { ...body, token: await issueToken(deps, db, caller.userId, caller.sid) } : body;
}

const failedValidation = (body: unknown) =>
  isObject(body) && isObject(body.error) && body.error.code === "validation_error";

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === "object" && value !== null && !Array.isArray(value);
