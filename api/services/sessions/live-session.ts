import { type Placeholder, type SQL, sql } from "drizzle-orm";
import type { AnyPgColumn } from "drizzle-orm/pg-core";

/**
 * The condition a caller's own statement adds so a logged-out session's access tokens are refused
 * at once, with no statement of its own: the session must exist, belong to the user and not be
 * revoked. Tokens without a session (signed with the legacy HS256 secret) add nothing. A prepared
 * statement passes the session as a placeholder.
 */
export function liveSession(userId: AnyPgColumn | SQL, sid: string | Placeholder | undefined): SQL | undefined {
  if (sid === undefined) return undefined;
  return sql`EXISTS (SELECT 1 FROM auth_sessions s
                     WHERE s.id = ${sid}::uuid AND s.user_id = ${userId} AND s.revoked_at IS NULL)`;
}
