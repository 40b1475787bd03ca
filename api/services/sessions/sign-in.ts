import type { Database } from "../../../db/client/types.ts";
import type { Tier } from "../../../db/schema.ts";
import { type Account, createUser, type NewUser, recordLogin } from "../users.ts";
import { type IssuedSession, issuedSession, newSession, sessionWrites } from "./sessions.ts";

export interface SignedIn {
  account: Account;
  session: IssuedSession;
}

/**
 * The account, its first session (written in the statement that writes the user) and its member
 * subscription commit together or not at all.
 */
export async function signUp(db: Database, input: NewUser, now: Date, member?: Tier): Promise<SignedIn> {
  const session = await newSession(now);
  const account = await createUser(db, input, now, (owner) => sessionWrites(session, owner), member);
  return { account, session: issuedSession(account.id, session) };
}

/** Stamps last_login and opens a session, in one statement; null (nothing written) when the user is gone. */
export async function logIn(db: Database, userId: string, now: Date): Promise<SignedIn | null> {
  const session = await newSession(now);
  const account = await recordLogin(db, userId, now, (owner) => sessionWrites(session, owner));
  return account ? { account, session: issuedSession(account.id, session) } : null;
}
