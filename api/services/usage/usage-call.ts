// A usage call as one statement: the service key's check, the stored answer for its
// Idempotency-Key, the count, and the answer stored with the count it guards (docs/decisions/018).
import { type SQL, sql } from "drizzle-orm";
import { retryOnSerializationFailure } from "../../../db/client/sql-state.ts";
import { type Database, queryRows } from "../../../db/client/types.ts";
import { SERVICE_KEYS, type StoredAnswer, storedAnswer, upsertAnswer } from "../idempotency.ts";
import type { ServiceError } from "../service-error.ts";
import type { Operation, Uncounted } from "./counting.ts";
import { type ServiceScope, serviceKeyMatch } from "./service-keys.ts";
import { windowAt } from "./windows.ts";

/** A retry follows a duplicate that committed first, and then replays its answer. */
const MAX_ATTEMPTS = 3;

/** The counted usage as SQL expressions of the statement, for the answer's body. */
export interface CountedUsage {
  feature: string;
  userId: string;
  used: SQL;
  /** jsonb: the limit, or JSON null for none. */
  limit: SQL;
  remaining: SQL;
  resetsAt: Date | null;
}

export interface UsageCall {
  /** SHA-256 of the service key presented (service-keys.ts `hashServiceKey`). */
  keyHash: string;
  scope: ServiceScope;
  key?: { key: string; requestHash: string };
  /** The answer's body (jsonb) for a count that applied: sent, and stored under the key. */
  answer: (usage: CountedUsage) => SQL;
}

export type CallOutcome =
  | { kind: "unknown_key" }
  | { kind: "out_of_scope" }
  | { kind: "counted"; serviceId: string; body: unknown }
  | { kind: "refused"; serviceId: string; error: ServiceError }
  | { kind: "replay"; statusCode: number; body: unknown }
  | { kind: "reused" };

interface Row extends Uncounted {
  service_id: string | null;
  allowed: boolean | null;
  stored: StoredAnswer | null;
  body: unknown;
}

/** The service key behind `keyHash`, and whether it carries `scope`: no row for an unknown or revoked key. */
const callerCte = (keyHash: string, scope: ServiceScope) =>
  sql`svc AS (SELECT id, ${scope}::text = ANY(scopes) AS allowed FROM service_keys WHERE ${serviceKeyMatch(keyHash)})`;

function statement(call: UsageCall, op: Operation): SQL {
  const { feature, userId, now } = op.request;
  const key = call.key;
  const owner = sql`(SELECT id FROM svc WHERE allowed)`;
  const lim = op.limit;
  const isNumber = sql`jsonb_typeof(${lim}) = 'number'`;
  const body = call.answer({
    feature: feature.feature,
    userId,
    used: sql`counted.used`,
    limit: sql`CASE WHEN ${isNumber} THEN ${lim} ELSE 'null'::jsonb END`,
    remaining: sql`CASE WHEN ${isNumber} THEN to_jsonb(greatest((${lim} #>> '{}')::numeric - counted.used, 0)) ELSE 'null'::jsonb END`,
    resetsAt: windowAt(feature.window, now).resetsAt,
  });
  // With a key, the answer is stored by the statement that counts; if a concurrent duplicate stored
  // it first, the check raises 40001 and the whole statement (the count too) is undone.
  const kept = key
    ? sql`, kept AS (${upsertAnswer(SERVICE_KEYS, { ...key, ownerId: owner }, { statusCode: 200, body: sql`answer.body` }, now, sql`answer`)})`
    : sql``;
  const check = key
    ? sql`, assert_plan_unchanged(NOT EXISTS (SELECT 1 FROM answer) OR EXISTS (SELECT 1 FROM kept)) AS kept`
    : sql``;
  return sql`WITH ${callerCte(call.keyHash, call.scope)},
      stored AS (SELECT ${key ? storedAnswer(SERVICE_KEYS, { ...key, ownerId: owner }, now) : sql`NULL::jsonb`} AS found),
      go AS (SELECT 1 FROM svc, stored WHERE svc.allowed AND stored.found IS NULL),
      ${op.ctes},
      answer AS (SELECT ${body} AS body FROM counted)
      ${kept}
    SELECT (SELECT id FROM svc) AS service_id, (SELECT allowed FROM svc) AS allowed,
           (SELECT found FROM stored) AS stored, (SELECT body FROM answer) AS body, ${op.columns} ${check}`;
}

function outcomeOf(call: UsageCall, op: Operation, row: Row | undefined): CallOutcome {
  if (!row?.service_id) return { kind: "unknown_key" };
  if (!row.allowed) return { kind: "out_of_scope" };
  if (row.stored && call.key) {
    if (row.stored.hash !== call.key.requestHash) return { kind: "reused" };
    return { kind: "replay", statusCode: row.stored.status, body: row.stored.body };
  }
  if (row.body !== null) return { kind: "counted", serviceId: row.service_id, body: row.body };
  return { kind: "refused", serviceId: row.service_id, error: op.refuse(row) };
}

/** Runs the operation for the service behind the key, in one statement (two when a duplicate won). */
export async function callUsage(db: Database, call: UsageCall, op: Operation): Promise<CallOutcome> {
  // Only a keyed call can meet a duplicate that committed first; one without a key is not retried.
  return retryOnSerializationFailure(call.key ? MAX_ATTEMPTS : 1, async () => {
    const [row] = await queryRows<Row>(db, statement(call, op));
    return outcomeOf(call, op, row);
  });
}

/** Only the key's check, for a request refused before anything could be counted. */
export async function checkCaller(db: Database, keyHash: string, scope: ServiceScope) {
  const [row] = await queryRows<{ allowed: boolean }>(
    db,
    sql`WITH ${callerCte(keyHash, scope)} SELECT allowed FROM svc`,
  );
  if (!row) return "unknown_key" as const;
  return row.allowed ? ("allowed" as const) : ("out_of_scope" as const);
}
