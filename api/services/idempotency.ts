// Stored results of requests sent with an Idempotency-Key, per user (Stripe's semantics).
//
// Concurrency: a request claims its key with one atomic INSERT ... ON CONFLICT before it runs, so of
// two concurrent duplicates exactly one claims the key and runs the change; the other sees the
// claim still in progress and is answered 409 (it may retry). We claim instead of holding a lock
// because the change itself runs in the lifecycle service's own transaction, and a row lock held
// across it would need one connection for the whole request (not available per-request on Neon).
import { and, eq, sql } from "drizzle-orm";
import { FOREIGN_KEY_VIOLATION, hasSqlState } from "../../db/client/sql-state.ts";
import type { Database } from "../../db/client/types.ts";
import { idempotencyKeys } from "../../db/schema.ts";

export const KEY_TTL_MS = 24 * 60 * 60 * 1000;
/**
 * A claim whose request never finished (the isolate died between the change and storing the
 * response) may be taken over by a retry with the same body after this long; no request lives it.
 */
export const ABANDONED_CLAIM_MS = 2 * 60 * 1000;
/** status_code of a claimed key whose response is not stored yet (no HTTP status is 0). */
const IN_PROGRESS = 0;

export type Claim =
  | { kind: "claimed" }
  | { kind: "replay"; statusCode: number; body: unknown }
  | { kind: "reused" }
  | { kind: "in_progress" }
  /** The key row references the user; a token that outlived its account has no row to attach it to. */
  | { kind: "no_user" };

export interface KeyRef {
  userId: string;
  key: string;
}

const matches = (ref: KeyRef) => and(eq(idempotencyKeys.userId, ref.userId), eq(idempotencyKeys.key, ref.key));

/**
 * Claims the key for this request, or says why not. An expired key (older than 24 h) is claimed
 * afresh as if it had never been used.
 */
export async function claimKey(db: Database, ref: KeyRef & { requestHash: string; now: Date }): Promise<Claim> {
  const expiredBefore = new Date(ref.now.getTime() - KEY_TTL_MS).toISOString();
  const abandonedBefore = new Date(ref.now.getTime() - ABANDONED_CLAIM_MS).toISOString();
  const fresh = { requestHash: ref.requestHash, statusCode: IN_PROGRESS, responseBody: {}, createdAt: ref.now };
  const claimed = await db
    .insert(idempotencyKeys)
    .values({ userId: ref.userId, key: ref.key, ...fresh })
    .onConflictDoUpdate({
      target: [idempotencyKeys.userId, idempotencyKeys.key],
      set: fresh,
      setWhere: sql`${idempotencyKeys.createdAt} <= ${expiredBefore}::timestamptz
        OR (${idempotencyKeys.statusCode} = ${IN_PROGRESS}
            AND ${idempotencyKeys.createdAt} <= ${abandonedBefore}::timestamptz
            AND ${idempotencyKeys.requestHash} = ${ref.requestHash})`,
    })
    .returning({ key: idempotencyKeys.key })
    .catch((error: unknown) => {
      if (hasSqlState(error, FOREIGN_KEY_VIOLATION)) return null;
      throw error;
    });
  if (claimed === null) return { kind: "no_user" };
  if (claimed.length) return { kind: "claimed" };

  const [stored] = await db.select().from(idempotencyKeys).where(matches(ref));
  // Gone between the two statements: its request failed and released it, so it is still settling.
  if (!stored) return { kind: "in_progress" };
  if (stored.requestHash !== ref.requestHash) return { kind: "reused" };
  if (stored.statusCode === IN_PROGRESS) return { kind: "in_progress" };
  return { kind: "replay", statusCode: stored.statusCode, body: stored.responseBody };
}

export async function storeResponse(db: Database, ref: KeyRef & { statusCode: number; body: unknown }): Promise<void> {
  await db.update(idempotencyKeys).set({ statusCode: ref.statusCode, responseBody: ref.body }).where(matches(ref));
}

/** Gives the key up so a retry runs the request again (after a server error). */
export async function releaseKey(db: Database, ref: KeyRef): Promise<void> {
  await db.delete(idempotencyKeys).where(and(matches(ref), eq(idempotencyKeys.statusCode, IN_PROGRESS)));
}
