import type { Database } from "../../../db/client/types.ts";
import { type Account, createUser, type NewUser, recordLogin } from "../users.ts";
import { type IssuedSession, startSession } from "./sessions.ts";

export interface SignedIn {
  account: Account;
  session: IssuedSession;
}

/** The account, its member subscription and its first session commit together or not at all. */
export function signUp(db: Database, input: NewUser, now: Date): Promise<SignedIn> {
  return db.transaction(async (tx) => {
    const account = await createUser(tx, input, now);
    return { account, session: await startSession(tx, account.id, now) };
  });
}

/** Stamps last_login and opens a session; null when the user is gone. */
export async function logIn(db: Database, userId: string, now: Date): Promise<SignedIn | null> {
  const account = await recordLogin(db, userId, now);
  if (!account) return null;
  return { account, session: await startSession(db, account.id, now) };
}
