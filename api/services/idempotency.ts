// Stored results of requests sent with an Idempotency-Key (Stripe's semantics), per user (their
// subscription changes) and per service key (usage counting).
//
// A user's change reads a stored answer in its own read and stores its answer in its own batch
// (storedAnswer, storeAnswer; subscriptions/change.ts), so the record and the change commit together
// and two concurrent duplicates serialise on the user's lock. A usage call reads the stored answer
// and stores its own in the very statement that counts (usage/usage-call.ts): of two concurrent
// duplicates the second finds the first's key row, fails, and replays it.
import { is, SQL, sql } from "drizzle-orm";
import { FOREIGN_KEY_VIOLATION, hasSqlState } from "../../db/client/sql-state.ts";
import type { Database } from "../../db/client/types.ts";
import { idempotencyKeys, serviceIdempotencyKeys } from "../../db/schema.ts";

export const KEY_TTL_MS = 24 * 60 * 60 * 1000;
/** status_code of a key claimed by a request that stored no answer yet (rows from before decision 018). */
const IN_PROGRESS = 0;

/** Whose keys: a user's (their subscription changes) or a service key's (usage counting). */
export interface KeyScope {
  table: typeof idempotencyKeys | typeof serviceIdempotencyKeys;
  owner: typeof idempotencyKeys.userId | typeof serviceIdempotencyKeys.serviceKeyId;
}

export const USER_KEYS: KeyScope = { table: idempotencyKeys, owner: idempotencyKeys.userId };
export const SERVICE_KEYS: KeyScope = { table: serviceIdempotencyKeys, owner: serviceIdempotencyKeys.serviceKeyId };

export interface KeyRef {
  ownerId: string;
  key: string;
}

/** A stored answer as a lifecycle change reads it with its own read (change.ts). */
export interface StoredAnswer {
  hash: string;
  status: number;
  body: unknown;
}

type Answer = { statusCode: number; body: unknown };
type AnswerRef = KeyRef & { requestHash: string };
/** The owner as a value, or as an expression of the statement the key is read or stored in. */
type OwnedBy<Ref> = Omit<Ref, "ownerId"> & { ownerId: string | SQL };

/**
 * The finished answer stored under the key, as one jsonb value for a change's read; null when the
 * key is unused or older than 24 h. A claim still in progress (status 0) is no answer.
 */
export function storedAnswer(scope: KeyScope, ref: OwnedBy<KeyRef>, now: Date): SQL<StoredAnswer | null> {
  const { table } = scope;
  const expiredBefore = new Date(now.getTime() - KEY_TTL_MS).toISOString();
  return sql<StoredAnswer | null>`(SELECT jsonb_build_object('hash', ${table.requestHash}, 'status', ${table.statusCode},
                                                  'body', ${table.responseBody})
           FROM ${table} WHERE ${scope.owner} = ${ref.ownerId}::uuid AND ${table.key} = ${ref.key}
             AND ${table.createdAt} > ${expiredBefore}::timestamptz AND ${table.statusCode} <> ${IN_PROGRESS})`;
}

/**
 * Stores the answer unless a live one is there already; `inserted` says whether it was stored. A
 * body given as SQL is an expression over `from`, which the row is inserted from (no row, no insert).
 */
export function upsertAnswer(scope: KeyScope, ref: OwnedBy<AnswerRef>, answer: Answer, now: Date, from?: SQL): SQL {
  const { table } = scope;
  const expiredBefore = new Date(now.getTime() - KEY_TTL_MS).toISOString();
  const owner = sql.identifier(scope.owner.name);
  const body = is(answer.body, SQL) ? answer.body : sql`${JSON.stringify(answer.body)}::jsonb`;
  // WHERE true: without it, ON CONFLICT after a FROM would be read as part of the FROM.
  const source = from ? sql`FROM ${from} WHERE true` : sql``;
  return sql`INSERT INTO ${table} (${owner}, key, request_hash, status_code, response_body, created_at)
             SELECT ${ref.ownerId}::uuid, ${ref.key}, ${ref.requestHash}, ${answer.statusCode},
                    ${body}, ${now.toISOString()}::timestamptz ${source}
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
