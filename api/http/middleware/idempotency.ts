import type { Context } from "hono";
import { createMiddleware } from "hono/factory";
import { HTTPException } from "hono/http-exception";
import type { AppDeps, AppEnv } from "../../env.ts";
import { type KeyScope, keepRefusal, SERVICE_KEYS, USER_KEYS } from "../../services/idempotency.ts";
import { ApiError, InvalidRequest } from "../errors/api-error.ts";
import { hashRequest } from "../request-hash.ts";
import { idempotencyKeyHeader } from "../schemas/subscription.ts";

export const IDEMPOTENCY_HEADER = "Idempotency-Key";

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
    if (status !== 401 && status !== 403) await keepRefused(c, deps, USER_KEYS, ref);
  });
}

/**
 * Idempotency-Key for usage counting (service keys), as route middleware after requireServiceKey.
 * Like changeKey it sends nothing before the call: the call's one statement reads a stored answer,
 * counts, and stores the new answer (services/usage/usage-call.ts). A refusal the statement gave
 * (c.var.refusedFor names the service key) is stored here after the handler; refusals decided before
 * the statement (an unknown counter, a release of a daily one) are about the request's path, like a
 * failed validation, and are not stored.
 */
export function usageKey(deps: Pick<AppDeps, "clock">) {
  return createMiddleware<AppEnv>(async (c, next) => {
    const key = keyOf(c);
    if (key === undefined) return next();
    const ref = { key, requestHash: await hashRequest(c.req.method, c.req.path, await c.req.text()) };
    c.set("usageKey", ref);
    await next();
    const ownerId = c.var.refusedFor;
    if (ownerId) await keepRefused(c, deps, SERVICE_KEYS, { ...ref, ownerId });
  });
}

/** Stores a refusal (4xx) the handler gave, unless it was answered from the key itself. */
async function keepRefused(
  c: Context<AppEnv>,
  deps: Pick<AppDeps, "clock">,
  scope: KeyScope,
  ref: { ownerId: string; key: string; requestHash: string },
) {
  const refused = c.res.status >= 400 && c.res.status < 500 && !neverRan(c.error);
  if (!refused || c.var.keyAnswered) return;
  const body = await c.res
    .clone()
    .json()
    .catch(() => undefined);
  if (body !== undefined) await keepRefusal(c.var.db, scope, ref, { statusCode: c.res.status, body }, deps.clock());
}

// The route's validators (or Hono's body parsing) refused the request before its handler ran.
const neverRan = (error: Error | undefined) => error instanceof InvalidRequest || error instanceof HTTPException;
