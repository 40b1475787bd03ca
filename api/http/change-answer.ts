import type { Context, TypedResponse } from "hono";
import type { ContentfulStatusCode } from "hono/utils/http-status";
import type { JSONParsed } from "hono/utils/types";
import type { AppDeps, AppEnv } from "../env.ts";
import { callerGone } from "../services/service-error.ts";
import type { Caller, Change, ChangeOutcome } from "../services/subscriptions/index.ts";
import { ApiError } from "./errors/api-error.ts";
import { IDEMPOTENCY_HEADER } from "./middleware/idempotency.ts";
import { issueToken, signClaims } from "./session-token.ts";

type Signer = Pick<AppDeps, "keys" | "clock" | "accessTokenTtlSeconds">;
/** What `c.json(body, 200)` answers, as the route's typed response. */
type Answered<Body> = Response & TypedResponse<JSONParsed<Body>, 200, "json">;
type Run = (caller: Caller) => Promise<ChangeOutcome>;

/**
 * Runs the change with the request's Idempotency-Key, if any: the body `answer` gives is stored in
 * the change's batch. A repeat is answered from the store (`replay` fills a token slot).
 */
async function keyed(
  c: Context<AppEnv>,
  run: Run,
  caller: Caller,
  answer: (change: Change) => object,
  replay: (body: Record<string, unknown>) => Promise<Record<string, unknown>>,
): Promise<Extract<ChangeOutcome, { kind: "changed" }> | Response> {
  const key = c.var.changeKey;
  const outcome = await run({
    ...caller,
    key: key && { ...key, answer: (change) => ({ statusCode: 200, body: answer(change) }) },
  });
  if (outcome.kind === "changed") return outcome;
  c.set("keyAnswered", true);
  if (outcome.kind === "reused") {
    throw new ApiError(
      422,
      "idempotency_key_reused",
      `This ${IDEMPOTENCY_HEADER} was already used with a different request; use a new key.`,
    );
  }
  const body = await replay(outcome.body as Record<string, unknown>);
  return c.json(body, outcome.statusCode as ContentfulStatusCode, { "Idempotent-Replayed": "true" });
}

/**
 * The caller's own change, answered with `body(change)` and a fresh token of the caller's session,
 * signed from the claims the change's batch read after its writes. The stored answer keeps the
 * token slot empty (a bearer token is a credential); a replay fills it with a token signed now.
 */
export async function answerChange<Body extends object>(
  c: Context<AppEnv>,
  deps: Signer,
  run: Run,
  body: (change: Change) => Body,
): Promise<Answered<Body & { token: string }>> {
  const { sid, userId } = c.var.auth;
  const result = await keyed(
    c,
    run,
    { sid, token: true },
    (change) => ({ ...body(change), token: null }),
    async (stored) =>
      "token" in stored ? { ...stored, token: await issueToken(deps, c.var.db, userId, sid) } : stored,
  );
  // A stored answer is this route's own (a success or one of its refusals), replayed as it was sent.
  if (result instanceof Response) return result as Answered<Body & { token: string }>;
  // The session ended while the change ran (its read found it live): the change stands, no token.
  if (!result.claims) throw callerGone();
  const token = await signClaims(deps, result.claims, sid);
  return c.json({ ...body(result.change), token }, 200);
}

/** An admin's change of someone else's plan: no token, the admin's session is checked by requireAdmin. */
export async function answerAssignment<Body extends object>(
  c: Context<AppEnv>,
  run: Run,
  body: (change: Change) => Body,
): Promise<Answered<Body>> {
  const result = await keyed(c, run, {}, body, async (stored) => stored);
  if (result instanceof Response) return result as Answered<Body>;
  return c.json(body(result.change), 200);
}
