// How a lifecycle change reaches the database: one read, then one batch (docs/decisions/015).
//
// The read takes everything the rules decide on (the current row with its tier, the target tier,
// the account, the seats in use, a stored answer for the Idempotency-Key) and a fingerprint of the
// plan. The rules then decide in TypeScript, and the batch sends: a lock on the user's row; a check,
// in a statement of its own and so with a snapshot taken after the lock, that the fingerprint is
// unchanged (else SQLSTATE 40001 rolls the batch back and the change is decided again from a fresh
// read); the writes; the idempotency record; the claims for the caller's fresh token. Concurrent
// changes of one user serialise on the lock, and each one's writes rest on what it read.
import { and, eq, type SQL, sql } from "drizzle-orm";
import { alias } from "drizzle-orm/pg-core";
import { runBatch } from "../../../db/client/batch.ts";
import { retryOnSerializationFailure } from "../../../db/client/sql-state.ts";
import { type Database, queryRows } from "../../../db/client/types.ts";
import { type Tier, userSubscriptions, users, userTiers } from "../../../db/schema.ts";
import { type AccountClaims, claimsFromRow, tokenClaimsQuery } from "../account-claims.ts";
import { currentSubscriptionOf } from "../current-subscription.ts";
import { type StoredAnswer, storeAnswer, storedAnswer, USER_KEYS } from "../idempotency.ts";
import { type SeatUse, seatsInUse } from "../seats/index.ts";
import { liveSession } from "../sessions/live-session.ts";
import { accountColumns, accountOf, type LockedAccount } from "./store.ts";
import {
  type ChangeRecord,
  type NewPeriod,
  type RowChanges,
  type SubscriptionWithTier,
  startWrite,
  updateWrite,
} from "./writes.ts";

/** Each retry follows a change that committed, so this bounds the concurrent changes of one user. */
const MAX_ATTEMPTS = 20;

export interface Change {
  previous: SubscriptionWithTier;
  subscription: SubscriptionWithTier;
  /** The user whose subscription changed, as read for the change. */
  account: LockedAccount;
}

/** What the rules see. */
export interface ChangeState {
  current: SubscriptionWithTier;
  target: Tier | null;
  account: LockedAccount;
  seats: SeatUse;
  /** The user owns seat rows (members, or invitations not revoked or accepted, expired ones too). */
  sharesSeats: boolean;
}

/** The writes the rules decided on, collected in order; nothing is sent until the batch. */
export interface Draft {
  start(next: NewPeriod, history: ChangeRecord, replacing?: SubscriptionWithTier): SubscriptionWithTier;
  update(current: SubscriptionWithTier, changes: RowChanges, now: Date, history: ChangeRecord): SubscriptionWithTier;
}

export interface Decision {
  previous: SubscriptionWithTier;
  subscription: SubscriptionWithTier;
  /** Work that must read what the writes did (cutting seats): the batch then runs as an interactive transaction. */
  after?: (tx: Database) => Promise<unknown>;
}

/** An Idempotency-Key of the caller (`ownerId`), and the answer to keep with the change it guards. */
export interface ChangeKey {
  ownerId: string;
  key: string;
  requestHash: string;
  answer: (change: Change) => { statusCode: number; body: unknown };
}

export interface ChangeRequest {
  userId: string;
  targetSlug?: string | null;
  now: Date;
  /** The refusal when the user is gone (or, with `sid`, the caller's session has ended). */
  missing: () => Error;
  /** The caller changing their own plan: their session must be live, and the batch reads their token's claims. */
  sid?: string | undefined;
  self: boolean;
  key?: ChangeKey;
  /**
   * A statement answering one value that raises to refuse. It gates the read as a condition on no
   * table, which PostgreSQL evaluates once before reading anything, so it refuses even when the user
   * does not exist.
   */
  guard?: SQL;
}

export type ChangeOutcome =
  | { kind: "changed"; change: Change; claims: AccountClaims | null }
  | { kind: "replay"; statusCode: number; body: unknown }
  | { kind: "reused" };

const targetTier = alias(userTiers, "target_tier");

const currentJoin = currentSubscriptionOf(users.id);

/** Everything a concurrent change could have altered that the rules read. */
function fingerprint(now: Date): SQL<string> {
  const seats = seatsInUse(sql`${users.id}`, now);
  return sql<string>`concat_ws(':', ${users.planVersion}, ${userSubscriptions.id}, ${userSubscriptions}.xmin,
                               ${seats.members}, ${seats.pending})`;
}

async function readForChange(db: Database, request: ChangeRequest) {
  const seats = seatsInUse(sql`${users.id}`, request.now);
  const key = request.key;
  const [row] = await db
    .select({
      ...accountColumns,
      members: seats.members,
      pending: seats.pending,
      sharesSeats: sql<boolean>`(EXISTS (SELECT 1 FROM seat_memberships m WHERE m.owner_id = ${users.id})
        OR EXISTS (SELECT 1 FROM seat_invitations i WHERE i.owner_id = ${users.id}
                     AND i.accepted_at IS NULL AND i.revoked_at IS NULL))`,
      fingerprint: fingerprint(request.now),
      stored: key ? storedAnswer(USER_KEYS, key, request.now) : sql<StoredAnswer | null>`NULL::jsonb`,
      subscription: userSubscriptions,
      tier: userTiers,
      target: targetTier,
    })
    .from(users)
    .innerJoin(userSubscriptions, currentJoin)
    .innerJoin(userTiers, eq(userTiers.slug, userSubscriptions.tierSlug))
    .leftJoin(targetTier, eq(targetTier.slug, request.targetSlug ?? ""))
    .where(
      and(
        request.guard ? sql`(${request.guard}) IS NOT NULL` : undefined,
        eq(users.id, request.userId),
        liveSession(users.id, request.sid),
      ),
    );
  if (!row) throw request.missing();
  const state: ChangeState = {
    current: { ...row.subscription, tier: row.tier },
    target: row.target,
    account: accountOf(row),
    seats: { members: row.members, pending: row.pending },
    sharesSeats: row.sharesSeats,
  };
  return { state, fingerprint: row.fingerprint, stored: row.stored };
}

function guard(db: Database, userId: string, expected: string, now: Date): SQL[] {
  const check = db
    .select({ fingerprint: fingerprint(now) })
    .from(users)
    .innerJoin(userSubscriptions, currentJoin);
  return [
    sql`SELECT 1 FROM users WHERE id = ${userId}::uuid FOR UPDATE`,
    sql`SELECT assert_plan_unchanged((${check.where(eq(users.id, userId))}) = ${expected})`,
  ];
}

function draftOn(db: Database, statements: SQL[]): Draft {
  return {
    start(next, history, replacing) {
      const write = startWrite(next, history, replacing);
      statements.push(write.statement);
      return write.row;
    },
    update(current, changes, now, history) {
      const write = updateWrite(db, current, changes, now, history);
      statements.push(write.statement);
      return write.row;
    },
  };
}

async function send(db: Database, statements: SQL[], after: Decision["after"]) {
  if (!after) return runBatch(db, statements);
  return db.transaction(async (tx) => {
    const answers: Record<string, unknown>[][] = [];
    for (const statement of statements) answers.push(await queryRows<Record<string, unknown>>(tx, statement));
    await after(tx);
    return answers;
  });
}

/**
 * Reads, lets `decide` apply the lifecycle's rules (it throws a refusal, or records its writes on
 * the draft), and sends the batch; decided again if the plan changed in between.
 */
export async function applyChange(
  db: Database,
  request: ChangeRequest,
  decide: (state: ChangeState, draft: Draft) => Promise<Decision>,
): Promise<ChangeOutcome> {
  return retryOnSerializationFailure(MAX_ATTEMPTS, async (): Promise<ChangeOutcome> => {
    const { state, fingerprint: expected, stored } = await readForChange(db, request);
    if (stored && request.key) {
      if (stored.hash !== request.key.requestHash) return { kind: "reused" };
      return { kind: "replay", statusCode: stored.status, body: stored.body };
    }
    const statements = guard(db, request.userId, expected, request.now);
    const decision = await decide(state, draftOn(db, statements));
    const change: Change = { previous: decision.previous, subscription: decision.subscription, account: state.account };
    if (request.key) statements.push(storeAnswer(USER_KEYS, request.key, request.key.answer(change), request.now));
    // Read last, after the writes: the token carries the plan version the history rows just bumped.
    if (request.self) statements.push(tokenClaimsQuery(db, request.userId, request.sid).getSQL());
    const answers = await send(db, statements, decision.after);
    const claimsRow = request.self ? answers[answers.length - 1]?.[0] : undefined;
    const claims = claimsRow ? claimsFromRow(claimsRow as Parameters<typeof claimsFromRow>[0]) : null;
    return { kind: "changed", change, claims };
  });
}
