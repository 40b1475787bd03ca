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
import { idempotencyKeys, serviceIdempotencyKeys } from "../../db/schema.ts";

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
  /** The key row references its owner; a token that outlived its account has no row to attach it to. */
  | { kind: "no_user" };

/** Whose keys: a user's (their subscription changes) or a service key's (usage counting). */
export interface KeyScope {
  table: typeof idempotencyKeys | typeof serviceIdempotencyKeys;
  owner: typeof idempotencyKeys.userId | typeof serviceIdempotencyKeys.serviceKeyId;
  ownerField: "userId" | "serviceKeyId";
}

export const USER_KEYS: KeyScope = { table: idempotencyKeys, owner: idempotencyKeys.userId, ownerField: "userId" };
export const SERVICE_KEYS: KeyScope = {
  table: serviceIdempotencyKeys,
  owner: serviceIdempotencyKeys.serviceKeyId,
  ownerField: "serviceKeyId",
};

export interface KeyRef {
  ownerId: string;
  key: string;
}

const matches = (scope: KeyScope, ref: KeyRef) => and(eq(scope.owner, ref.ownerId), eq(scope.table.key, ref.key));

/**
 * Claims the key for this request, or says why not. An expired key (older than 24 h) is claimed
 * afresh as if it had never been used.
 */
export async function claimKey(
  db: Database,
  scope: KeyScope,
  ref: KeyRef & { requestHash: string; now: Date },
): Promise<Claim> {
  const { table } = scope;
  const expiredBefore = new Date(ref.now.getTime() - KEY_TTL_MS).toISOString();
  const abandonedBefore = new Date(ref.now.getTime() - ABANDONED_CLAIM_MS).toISOString();
  const fresh = { requestHash: ref.requestHash, statusCode: IN_PROGRESS, responseBody: {}, createdAt: ref.now };
  // The two tables differ only in the owner column, which drizzle cannot type through a union.
  const values = { [scope.ownerField]: ref.ownerId, key: ref.key, ...fresh } as typeof idempotencyKeys.$inferInsert;
  const claimed = await db
    .insert(table as typeof idempotencyKeys)
    .values(values)
    .onConflictDoUpdate({
      target: [scope.owner, table.key],
      set: fresh,
      setWhere: sql`${table.createdAt} <= ${expiredBefore}::timestamptz
        OR (${table.statusCode} = ${IN_PROGRESS}
            AND ${table.createdAt} <= ${abandonedBefore}::timestamptz
            AND ${table.requestHash} = ${ref.requestHash})`,
    })
    .returning({ key: table.key })
    .catch((error: unknown) => {
      if (hasSqlState(error, FOREIGN_KEY_VIOLATION)) return null;
      throw error;
    });
  if (claimed === null) return { kind: "no_user" };
  if (claimed.length) return { kind: "claimed" };

  const [stored] = await db
    .select({ requestHash: table.requestHash, statusCode: table.statusCode, responseBody: table.responseBody })
    .from(table as typeof idempotencyKeys)
    .where(matches(scope, ref));
  // Gone between the two statements: its request failed and released it, so it is still settling.
  if (!stored) return { kind: "in_progress" };
  if (stored.requestHash !== ref.requestHash) return { kind: "reused" };
  if (stored.statusCode === IN_PROGRESS) return { kind: "in_progress" };
  return { kind: "replay", statusCode: stored.statusCode, body: stored.responseBody };
}

export async function storeResponse(
  db: Database,
  scope: KeyScope,
  ref: KeyRef & { statusCode: number; body: unknown },
): Promise<void> {
  await db
    .update(scope.table as typeof idempotencyKeys)
    .set({ statusCode: ref.statusCode, responseBody: ref.body })
    .where(matches(scope, ref));
}

/** Gives the key up so a retry runs the request again (after a server error). */
export async function releaseKey(db: Database, scope: KeyScope, ref: KeyRef): Promise<void> {
  await db
    .delete(scope.table as typeof idempotencyKeys)
    .where(and(matches(scope, ref), eq(scope.table.statusCode, IN_PROGRESS)));
}
