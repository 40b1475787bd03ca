import type { Context } from "hono";
import { createMiddleware } from "hono/factory";
import { HTTPException } from "hono/http-exception";
import type { ContentfulStatusCode } from "hono/utils/http-status";
import type { AppDeps, AppEnv } from "../../env.ts";
import {
  claimKey,
  type KeyScope,
  keepRefusal,
  releaseKey,
  SERVICE_KEYS,
  storeResponse,
  USER_KEYS,
} from "../../services/idempotency.ts";
import { ApiError, InvalidRequest } from "../errors/api-error.ts";
import { hashRequest } from "../request-hash.ts";
import { idempotencyKeyHeader } from "../schemas/subscription.ts";

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
 * Idempotency-Key for a service calling with a service key (the usage endpoints, whose counting
 * statement is not a lifecycle change): the key is claimed before the handler and its answer stored
 * after. Route middleware runs before the route's validators, so a request they refuse (it never
 * ran) releases the key, like Stripe stores nothing for it. Successes and refusals (4xx) are stored
 * and replayed for 24 h; server errors release the key so a retry runs again.
 */
export function serviceIdempotent(deps: Pick<AppDeps, "clock">, gone: () => Error) {
  return idempotentFor(deps, {
    scope: SERVICE_KEYS,
    id: (c) => c.var.service.id,
    gone,
    replay: async (_c, body) => body,
    store: (body) => body,
  });
}

/** The request's Idempotency-Key, undefined without one; a malformed key is refused (400). */
function keyOf(c: Context<AppEnv>): string | undefined {
  const header = c.req.header(IDEMPOTENCY_HEADER);
  if (header === undefined) return undefined;
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
  return parsed.data;
}

/**
 * Idempotency-Key for a subscription change, as route middleware after requireAuth. It sends
 * nothing before the change: the change's own read finds a stored answer and its batch stores the
 * new one (api/services/subscriptions/change.ts), so a crash between the two cannot let a retry
 * apply it twice. A refusal the change's rules gave wrote nothing, so it is stored here after the
 * handler, and replayed like a success; requests the validators refused, server errors and answers
 * about the key itself are not stored.
 */
export function changeKey(deps: Pick<AppDeps, "clock">) {
  return createMiddleware<AppEnv>(async (c, next) => {
    const key = keyOf(c);
    if (key === undefined) return next();
    const ref = {
      ownerId: c.var.auth.userId,
      key,
      requestHash: await hashRequest(c.req.method, c.req.path, await c.req.text()),
    };
    c.set("changeKey", ref);
    await next();
    // 401 and 403 say who may ask, not what the change answered: a later caller with rights runs it.
    const { status } = c.res;
    const refused = status >= 400 && status < 500 && status !== 401 && status !== 403 && !neverRan(c.error);
    if (!refused || c.var.keyAnswered) return;
    const body = await c.res
      .clone()
      .json()
      .catch(() => undefined);
    if (body !== undefined)
      await keepRefusal(c.var.db, USER_KEYS, ref, { statusCode: c.res.status, body }, deps.clock());
  });
}

function idempotentFor(deps: Pick<AppDeps, "clock">, owner: Owner) {
  return createMiddleware<AppEnv>(async (c, next) => {
    const key = keyOf(c);
    if (key === undefined) return next();
    const db = c.var.db;
    const ref = { ownerId: owner.id(c), key };
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
