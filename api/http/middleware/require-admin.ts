import type { SQL } from "drizzle-orm";
import type { Context } from "hono";
import { createMiddleware } from "hono/factory";
import { type Read, readBatch } from "../../../db/client/reads.ts";
import { hasSqlState } from "../../../db/client/sql-state.ts";
import { queryRows } from "../../../db/client/types.ts";
import type { AppEnv } from "../../env.ts";
import { callerGone } from "../../services/service-error.ts";
import { adminGuard, CALLER_GONE_STATE, NOT_ADMIN_STATE } from "../../services/users.ts";
import { ApiError } from "../errors/api-error.ts";

/** Where a request's rights check stands: not run yet, passed, or the refusal it ended in. */
interface Check {
  state: "pending" | "passed" | Error;
}

const checks = new WeakMap<Context, Check>();

function refusalOf(error: unknown): Error | null {
  if (hasSqlState(error, CALLER_GONE_STATE)) return callerGone();
  if (hasSqlState(error, NOT_ADMIN_STATE)) return new ApiError(403, "forbidden", "Administrator rights are required.");
  return null;
}

/** Runs `work` with the guard to put at the head of its batch, and records what the guard said. */
async function guarded<T>(
  c: Context<AppEnv>,
  check: Check,
  work: (guard: ReturnType<typeof adminGuard>) => Promise<T>,
) {
  try {
    const result = await work(adminGuard(c.var.auth.userId, c.var.auth.sid));
    check.state = "passed";
    return result;
  } catch (error) {
    const refusal = refusalOf(error);
    if (!refusal) throw error;
    check.state = refusal;
    throw refusal;
  }
}

const verify = (c: Context<AppEnv>, check: Check) => guarded(c, check, (guard) => queryRows(c.var.db, guard));

/**
 * Admin rights as the database holds them on this request, so revoking is_admin takes effect at
 * once even for tokens that still say is_admin; an ended session is refused by the same check
 * (401), a user who is no admin with 403. Use after requireAuth.
 *
 * On the Worker every statement is a round trip, so a read (GET, HEAD) carries the check in its own
 * batch: its handler reads through `adminReads`, whose batch starts with the guard, and a refusal
 * aborts the batch before the reads run. A read whose handler answered or failed without that batch
 * is checked afterwards and its answer replaced by the refusal; reads change nothing, so nothing
 * happened that the refusal had to prevent. Every other method is checked before its handler runs,
 * unless `checkedByHandler`: a change whose first statement carries the check (`adminChange`), so
 * nothing is written unless it passed; a request refused before its handler ran is checked after.
 */
export function requireAdmin(options: { checkedByHandler?: boolean } = {}) {
  return createMiddleware<AppEnv>(async (c, next) => {
    // The first requireAdmin a request meets decides how it is checked (admin.ts mounts a narrower one first).
    if (checks.has(c)) return next();
    const check: Check = { state: "pending" };
    checks.set(c, check);
    const reads = c.req.method === "GET" || c.req.method === "HEAD";
    if (!reads && !options.checkedByHandler) await verify(c, check);
    await next();
    if (check.state === "pending") await verify(c, check);
    // A refusal the handler let through is its answer already; one it swallowed must still be the answer.
    if (check.state instanceof Error && c.error !== check.state) throw check.state;
  });
}

/**
 * The reads of an admin endpoint in one batch (one round trip), with the caller's rights checked
 * at its head unless requireAdmin has checked them already on this request.
 */
export function adminReads<R extends Read<unknown>[]>(c: Context<AppEnv>, reads: [...R]) {
  const check = checks.get(c);
  if (!check) throw new Error("adminReads needs requireAdmin on the route");
  if (check.state instanceof Error) throw check.state;
  if (check.state === "passed") return readBatch(c.var.db, reads);
  return guarded(c, check, (guard) => readBatch(c.var.db, reads, [guard]));
}

/**
 * A change of an admin endpoint mounted with `requireAdmin({ checkedByHandler: true })`: `work` puts
 * the guard into the change's first statement, which it gates, so the change costs no round trip
 * of its own for the rights check.
 */
export function adminChange<T>(c: Context<AppEnv>, work: (guard: SQL | undefined) => Promise<T>): Promise<T> {
  const check = checks.get(c);
  if (!check) throw new Error("adminChange needs requireAdmin on the route");
  if (check.state instanceof Error) throw check.state;
  if (check.state === "passed") return work(undefined);
  return guarded(c, check, work);
}
