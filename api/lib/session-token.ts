import type { Database } from "../../db/client/types.ts";
import type { AppDeps } from "../env.ts";
import { getTokenClaims } from "../services/users.ts";
import { ApiError } from "./api-error.ts";
import { signToken } from "./jwt.ts";

/**
 * A token carrying the user's tier as stored now. Every endpoint that changes the caller's
 * subscription or profile returns one, so the client's snapshot follows the change.
 */
export async function issueToken(deps: Pick<AppDeps, "jwtSecret" | "clock">, db: Database, userId: string): Promise<string> {
  const claims = await getTokenClaims(db, userId);
  if (!claims) throw new ApiError(401, "invalid_token", "The token's user no longer exists.");
  return signToken(deps.jwtSecret, claims, deps.clock());
}
