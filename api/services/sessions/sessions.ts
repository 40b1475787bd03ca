// Sessions and their rotating refresh tokens. One session per login is one family: every refresh
// replaces the presented token with its successor, and a token presented again after the grace
// window means it was copied, so the whole family is revoked (OAuth 2.0 Security BCP, 4.14).
import { and, eq, isNull, type SQL, sql } from "drizzle-orm";
import { type Database, queryRows } from "../../../db/client/types.ts";
import { authSessions, refreshTokens } from "../../../db/schema.ts";
import { hashRefreshToken, newRefreshToken, successorOf } from "../../lib/tokens/refresh-token.ts";
import type { TokenKeys } from "../../lib/tokens/signing-keys.ts";
import { SessionError, unknownRefreshToken } from "./errors.ts";

/** A refresh token stays usable this long after it was issued (each rotation starts a new one). */
export const REFRESH_TOKEN_TTL_MS = 30 * 24 * 60 * 60 * 1000;
/** Presenting a rotated token again this soon answers the same successor (parallel loaders, tabs). */
export const ROTATION_GRACE_MS = 30 * 1000;

export interface IssuedSession {
  userId: string;
  sessionId: string;
  refreshToken: string;
}

const expiry = (now: Date) => new Date(now.getTime() + REFRESH_TOKEN_TTL_MS);

/** A session about to be opened: its id and first refresh token are made here, so the writes need no answer. */
export interface NewSession {
  sessionId: string;
  refreshToken: string;
  tokenHash: string;
  createdAt: Date;
}

export async function newSession(now: Date): Promise<NewSession> {
  const refreshToken = newRefreshToken();
  return {
    sessionId: crypto.randomUUID(),
    refreshToken,
    tokenHash: await hashRefreshToken(refreshToken),
    createdAt: now,
  };
}

/**
 * The writes that open `session` for the user in `owner` (a relation with an `id` column, of one
 * row, or none and then nothing is written): data-modifying statements for the CTEs of a caller's
 * statement, so a sign-up or a login opens its session in the statement that writes the user.
 */
export function sessionWrites(session: NewSession, owner: SQL): SQL[] {
  const at = sql`${session.createdAt.toISOString()}::timestamptz`;
  return [
    sql`INSERT INTO auth_sessions (id, user_id, created_at) SELECT ${session.sessionId}::uuid, id, ${at} FROM ${owner}`,
    sql`INSERT INTO refresh_tokens (token_hash, session_id, created_at, expires_at)
        SELECT ${session.tokenHash}, ${session.sessionId}::uuid, ${at}, ${expiry(session.createdAt).toISOString()}::timestamptz
        FROM ${owner}`,
  ];
}

export const issuedSession = (userId: string, session: NewSession): IssuedSession => ({
  userId,
  sessionId: session.sessionId,
  refreshToken: session.refreshToken,
});

/** A new session with its first refresh token for an existing user: one statement. */
export async function startSession(db: Database, userId: string, now: Date): Promise<IssuedSession> {
  const session = await newSession(now);
  const [opened, token] = sessionWrites(session, sql`(SELECT ${userId}::uuid AS id) AS owner`);
  await db.execute(sql`WITH opened AS (${opened}), token AS (${token}) SELECT 1`);
  return issuedSession(userId, session);
}

interface PresentedRow {
  session_id: string;
  user_id: string;
  revoked: boolean;
  expired: boolean;
  rotated_at: Date | string | null;
  successor_hash: string | null;
}

/**
 * Exchanges a refresh token for its successor. The first presentation rotates it in one statement
 * (mark used, insert the successor), which also settles races: of two concurrent presentations the
 * second waits for the first's row lock, finds the token rotated, and is answered as a replay.
 */
export async function rotateRefreshToken(
  db: Database,
  keys: TokenKeys,
  presented: string,
  now: Date,
): Promise<IssuedSession> {
  const tokenHash = await hashRefreshToken(presented);
  const successor = await successorOf(keys.current.successorKey, presented);
  const successorHash = await hashRefreshToken(successor);
  const [rotated] = await queryRows<{ session_id: string; user_id: string }>(
    db,
    sql`WITH rotated AS (
          UPDATE refresh_tokens r SET rotated_at = ${now}::timestamptz, successor_hash = ${successorHash}
          FROM auth_sessions s
          WHERE r.token_hash = ${tokenHash} AND r.rotated_at IS NULL AND r.expires_at > ${now}::timestamptz
            AND s.id = r.session_id AND s.revoked_at IS NULL
          RETURNING r.session_id, s.user_id
        ), successor AS (
          INSERT INTO refresh_tokens (token_hash, session_id, created_at, expires_at)
          SELECT ${successorHash}, session_id, ${now}::timestamptz, ${expiry(now)}::timestamptz FROM rotated
        )
        SELECT session_id, user_id FROM rotated`,
  );
  if (rotated) return { userId: rotated.user_id, sessionId: rotated.session_id, refreshToken: successor };

  // Not rotated now: find out why, in a fresh statement that sees what a concurrent rotation committed.
  const [row] = await queryRows<PresentedRow>(
    db,
    sql`SELECT r.session_id, s.user_id, s.revoked_at IS NOT NULL AS revoked,
               r.expires_at <= ${now}::timestamptz AS expired, r.rotated_at, r.successor_hash
        FROM refresh_tokens r JOIN auth_sessions s ON s.id = r.session_id
        WHERE r.token_hash = ${tokenHash}`,
  );
  if (!row) throw unknownRefreshToken();
  if (row.revoked) throw new SessionError("session_revoked", "This session has ended; sign in again.");
  if (row.rotated_at === null) {
    if (row.expired) throw new SessionError("invalid_refresh_token", "The refresh token has expired; sign in again.");
    throw new Error("a live, unrotated refresh token was not rotated");
  }
  const rotatedAt = new Date(row.rotated_at).getTime();
  if (now.getTime() - rotatedAt <= ROTATION_GRACE_MS) {
    const again = await sameSuccessor(keys, presented, row.successor_hash);
    if (again) return { userId: row.user_id, sessionId: row.session_id, refreshToken: again };
  }
  await revokeSessionById(db, row.session_id, now);
  throw new SessionError("refresh_token_reused", "The refresh token was already used; the session has been ended.");
}

/**
 * The successor the token was rotated to, derived again. Derived with the key current at the time
 * of the rotation, which during a key change may not be today's current key: every key is tried.
 */
async function sameSuccessor(keys: TokenKeys, presented: string, successorHash: string | null): Promise<string | null> {
  for (const key of keys.byKid.values()) {
    const candidate = await successorOf(key.successorKey, presented);
    if ((await hashRefreshToken(candidate)) === successorHash) return candidate;
  }
  return null;
}

async function revokeSessionById(db: Database, sessionId: string, now: Date): Promise<void> {
  await db
    .update(authSessions)
    .set({ revokedAt: now })
    .where(and(eq(authSessions.id, sessionId), isNull(authSessions.revokedAt)));
}

/** Logout with a refresh token (current or already rotated): ends its family. */
export async function revokeByRefreshToken(db: Database, presented: string, now: Date): Promise<void> {
  const tokenHash = await hashRefreshToken(presented);
  const revoked = await db
    .update(authSessions)
    .set({ revokedAt: sql`coalesce(${authSessions.revokedAt}, ${now}::timestamptz)` })
    .where(
      sql`${authSessions.id} = (SELECT ${refreshTokens.sessionId} FROM ${refreshTokens} WHERE ${refreshTokens.tokenHash} = ${tokenHash})`,
    )
    .returning({ id: authSessions.id });
  if (revoked.length === 0) throw unknownRefreshToken();
}

/** Logout with an access token: ends the session it names, if it is the caller's. */
export async function revokeSession(db: Database, userId: string, sessionId: string, now: Date): Promise<void> {
  const revoked = await db
    .update(authSessions)
    .set({ revokedAt: sql`coalesce(${authSessions.revokedAt}, ${now}::timestamptz)` })
    .where(and(eq(authSessions.id, sessionId), eq(authSessions.userId, userId)))
    .returning({ id: authSessions.id });
  if (revoked.length === 0) throw new SessionError("session_revoked", "This session has ended; sign in again.");
}

/**
 * Drops refresh tokens past their expiry, and sessions left with none (every access token they
 * issued expired long before): one statement, for the cron. Returns how many tokens went.
 */
export async function purgeExpiredSessions(db: Database, now: Date): Promise<number> {
  const [row] = await queryRows<{ tokens: number }>(
    db,
    sql`WITH gone AS (
          DELETE FROM refresh_tokens WHERE expires_at <= ${now}::timestamptz RETURNING session_id
        ), ended AS (
          DELETE FROM auth_sessions s
          WHERE s.id IN (SELECT session_id FROM gone)
            AND NOT EXISTS (SELECT 1 FROM refresh_tokens r WHERE r.session_id = s.id AND r.expires_at > ${now}::timestamptz)
        )
        SELECT count(*)::int AS tokens FROM gone`,
  );
  return row?.tokens ?? 0;
}
