import type { Database } from "../../db/client/types.ts";
import type { AppDeps } from "../env.ts";
import { effectiveTier } from "../services/seats/index.ts";
import type { Change } from "../services/subscriptions/index.ts";
import { callerGone } from "../services/service-error.ts";
import { type Account, getTokenClaims } from "../services/users.ts";
import { signToken } from "../lib/jwt.ts";

// Every endpoint that changes the caller's subscription or profile answers with a token carrying
// the tier as stored now, so the client's snapshot follows the change. Where the endpoint already
// holds the account (it just wrote it), the token is signed from that, with no read of its own.
type Signer = Pick<AppDeps, "jwtSecret" | "clock">;

export function accountToken(deps: Signer, account: Account): Promise<string> {
  return signToken(
    deps.jwtSecret,
    {
      userId: account.id,
      email: account.email,
      displayName: account.displayName,
      isAdmin: account.isAdmin,
      tierSlug: account.tierSlug,
      tierLevel: account.tierLevel,
      subscriptionStatus: account.subscriptionStatus,
      trialEndsAt: account.trialEndsAt,
    },
    deps.clock(),
  );
}

export function changeToken(deps: Signer, change: Change): Promise<string> {
  const { account, subscription } = change;
  const tier = effectiveTier({ slug: subscription.tierSlug, tierLevel: subscription.tier.tierLevel }, account.seatTier);
  return signToken(
    deps.jwtSecret,
    {
      ...account,
      tierSlug: tier.slug,
      tierLevel: tier.tierLevel,
      subscriptionStatus: subscription.status,
      trialEndsAt: subscription.status === "trialing" ? subscription.currentPeriodEnd : null,
    },
    deps.clock(),
  );
}

/** Reads the user's claims first: for a caller that holds no fresh account (an idempotent replay). */
export async function issueToken(deps: Signer, db: Database, userId: string): Promise<string> {
  const claims = await getTokenClaims(db, userId);
  if (!claims) throw callerGone();
  return signToken(deps.jwtSecret, claims, deps.clock());
}
