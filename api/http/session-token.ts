import type { Database } from "../../db/client/types.ts";
import type { AppDeps } from "../env.ts";
import { DEFAULT_ACCESS_TOKEN_TTL_SECONDS, signAccessToken } from "../lib/tokens/access-token.ts";
import { callerGone } from "../services/service-error.ts";
import { type Account, type AccountClaims, claimsOf, getTokenClaims } from "../services/users.ts";

// Every endpoint that changes the caller's subscription or profile answers with a fresh access
// token of the same session carrying the plan as stored now, so the client's snapshot follows the
// change. Where the endpoint already holds the account (it just wrote it), the token is signed
// from that, with no read of its own.
type Signer = Pick<AppDeps, "keys" | "clock" | "accessTokenTtlSeconds">;

export function accessTokenTtl(deps: Pick<AppDeps, "accessTokenTtlSeconds">): number {
  return deps.accessTokenTtlSeconds ?? DEFAULT_ACCESS_TOKEN_TTL_SECONDS;
}

/** `sid` is undefined only for a caller of a legacy (HS256) token, which belongs to no session. */
export function signClaims(deps: Signer, claims: AccountClaims, sid: string | undefined): Promise<string> {
  return signAccessToken(deps.keys, { ...claims, sid }, deps.clock(), accessTokenTtl(deps));
}

export function accountToken(deps: Signer, account: Account, sid: string | undefined): Promise<string> {
  return signClaims(deps, claimsOf(account), sid);
}

/**
 * Reads the user's claims first: after a plan change (whose version the database just bumped) or
 * for a caller that holds no fresh account (a refresh, an idempotent replay). The read checks the
 * session too, so an ended session gets a 401 rather than a token.
 */
export async function issueToken(deps: Signer, db: Database, userId: string, sid: string | undefined): Promise<string> {
  const claims = await getTokenClaims(db, userId, sid);
  if (!claims) throw callerGone();
  return signClaims(deps, claims, sid);
}
