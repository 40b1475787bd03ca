// Stored results of requests sent with an Idempotency-Key (Stripe's semantics), per user (their
// subscription changes) and per service key (usage counting).
//
// A user's change reads a stored answer in its own read and stores its answer in its own batch
// (storedAnswer, storeAnswer; subscriptions/change.ts), so the record and the change commit together
// and two concurrent duplicates serialise on the user's lock. Usage counting claims its key with one
// atomic INSERT ... ON CONFLICT before it runs (claimKey) and stores the answer after: of two
// concurrent duplicates exactly one claims the key and the other is answered 409 (it may retry).
import { and, eq, type SQL, sql } from "drizzle-orm";
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

/** A stored answer as a lifecycle change reads it with its own read (change.ts). */
export interface StoredAnswer {
  hash: string;
  status: number;
  body: unknown;
}

type Answer = { statusCode: number; body: unknown };
type AnswerRef = KeyRef & { requestHash: string };

/**
 * The finished answer stored under the key, as one jsonb value for a change's read; null when the
 * key is unused or older than 24 h. A claim still in progress (status 0) is no answer.
 */
export function storedAnswer(scope: KeyScope, ref: KeyRef, now: Date): SQL<StoredAnswer | null> {
  const { table } = scope;
  const expiredBefore = new Date(now.getTime() - KEY_TTL_MS).toISOString();
  return sql<StoredAnswer | null>`(SELECT jsonb_build_object('hash', ${table.requestHash}, 'status', ${table.statusCode},
                                                  'body', ${table.responseBody})
           FROM ${table} WHERE ${scope.owner} = ${ref.ownerId}::uuid AND ${table.key} = ${ref.key}
             AND ${table.createdAt} > ${expiredBefore}::timestamptz AND ${table.statusCode} <> ${IN_PROGRESS})`;
}

/** Stores the answer unless a live one is there already; `inserted` says whether it was stored. */
function upsertAnswer(scope: KeyScope, ref: AnswerRef, answer: Answer, now: Date): SQL {
  const { table } = scope;
  const expiredBefore = new Date(now.getTime() - KEY_TTL_MS).toISOString();
  const owner = sql.identifier(scope.owner.name);
  return sql`INSERT INTO ${table} (${owner}, key, request_hash, status_code, response_body, created_at)
             VALUES (${ref.ownerId}::uuid, ${ref.key}, ${ref.requestHash}, ${answer.statusCode},
                     ${JSON.stringify(answer.body)}::jsonb, ${now.toISOString()}::timestamptz)
             ON CONFLICT (${owner}, key) DO UPDATE
               SET request_hash = excluded.request_hash, status_code = excluded.status_code,
                   response_body = excluded.response_body, created_at = excluded.created_at
               WHERE ${table}.created_at <= ${expiredBefore}::timestamptz OR ${table}.status_code = ${IN_PROGRESS}
             RETURNING 1 AS inserted`;
}

/**
 * The answer stored in the change's own batch. A live answer already there means another request
 * with this key finished first: the check fails the batch, so this change rolls back and the retry
 * replays that answer.
 */
export function storeAnswer(scope: KeyScope, ref: AnswerRef, answer: Answer, now: Date): SQL {
  return sql`WITH stored AS (${upsertAnswer(scope, ref, answer, now)})
             SELECT assert_plan_unchanged(count(*) = 1) FROM stored`;
}

/** A refusal changed nothing, so it is stored on its own; of two concurrent ones the first stays. */
export async function keepRefusal(db: Database, scope: KeyScope, ref: AnswerRef, answer: Answer, now: Date) {
  await db.execute(upsertAnswer(scope, ref, answer, now)).catch((error: unknown) => {
    // The owner is gone (the key row references it): there is nothing to keep the answer for.
    if (!hasSqlState(error, FOREIGN_KEY_VIOLATION)) throw error;
  });
}
