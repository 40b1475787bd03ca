// How a seat change reaches the database: one read, then one batch, as a lifecycle change does
// (docs/decisions/015, 016). The read takes what the rules decide on with a fingerprint of it; the
// rules decide in TypeScript; the batch locks the users today's seat changes lock (in id order),
// checks in a statement of its own (so with a snapshot taken after the lock) that the fingerprint
// is unchanged, else SQLSTATE 40001 rolls it back and the change is read and decided again, and
// then writes. Concurrent changes of one owner serialise on the lock, and each one's writes rest
// on what it read: that is what keeps the seat cap under concurrency.
import { type SQL, sql } from "drizzle-orm";
import { runBatch } from "../../../db/client/batch.ts";
import { retryOnSerializationFailure } from "../../../db/client/sql-state.ts";
import type { Database } from "../../../db/client/types.ts";
import { CURRENT_STATUSES } from "../../../db/schema.ts";
import { lockUsersStatement, seatsInUse } from "./plan.ts";

/** Each retry follows a change that committed, so this bounds the concurrent changes of one owner. */
const MAX_ATTEMPTS = 20;

const current = sql.join(
  CURRENT_STATUSES.map((status) => sql`${status}`),
  sql`, `,
);

/**
 * Everything a concurrent change could alter that the seat rules read about one user: the plan
 * version (bumped by every history row, the seat changes' included), the email, the current
 * subscription's id and xmin, the members and open invitations, and the seat the user holds. NULL
 * when the user is gone. The one definition, read with the rules' data and checked in the batch.
 */
export function seatFingerprint(userId: SQL, now: Date): SQL<string | null> {
  const seats = seatsInUse(sql`f.id`, now);
  return sql<string | null>`(SELECT concat_ws(':', f.plan_version, f.email,
      (SELECT s.id || '/' || s.xmin FROM user_subscriptions s WHERE s.user_id = f.id AND s.status IN (${current})),
      ${seats.members}, ${seats.pending},
      (SELECT m.owner_id FROM seat_memberships m WHERE m.member_id = f.id))
    FROM users f WHERE f.id = ${userId})`;
}

/** What the rules decided: the users to lock, the fingerprint as SQL and as read, the writes. */
export interface SeatWrites<R> {
  lock: string[];
  fingerprint: SQL;
  expected: string;
  writes: SQL[];
  result: R;
}

/**
 * Runs `decide` (the read and the rules: it throws a refusal, or answers the writes) and sends the
 * batch; decided again if what it read changed in between. Answers the result and the writes' rows.
 */
export async function changeSeats<R>(
  db: Database,
  decide: () => Promise<SeatWrites<R>>,
): Promise<{ result: R; answers: Record<string, unknown>[][] }> {
  return retryOnSerializationFailure(MAX_ATTEMPTS, async () => {
    const { lock, fingerprint, expected, writes, result } = await decide();
    const statements = [
      lockUsersStatement(lock),
      sql`SELECT assert_plan_unchanged((${fingerprint}) = ${expected})`,
      ...writes,
    ];
    const answers = await runBatch(db, statements);
    return { result, answers: answers.slice(2) };
  });
}
