import { z } from "zod";

export const JWT_ISSUER = "tierkit";
export const JWT_AUDIENCE = "tierkit-api";

/** A tier's limits and flags as the token carries them (`ent`): numbers, null for unlimited, booleans. */
export type TokenEntitlements = Record<string, number | null | boolean>;

/** What an access token says about its user: the account, a snapshot of its current plan, and its session. */
export interface TokenClaims {
  userId: string;
  email: string;
  displayName: string;
  isAdmin: boolean;
  tierSlug: string;
  tierLevel: number;
  subscriptionStatus: string;
  ent: TokenEntitlements;
  /** Grows with every change to the user's plan, so a consumer can tell which of two tokens is newer. */
  ver: number;
  /**
   * The session (the refresh-token family of one login) the token belongs to. Absent only in tokens
   * re-issued to a caller of a legacy HS256 token, which belongs to no session.
   */
  sid?: string;
}

/**
 * The caller as a verified token says. Tier claims are absent in tokens older than tiers, and
 * `ent`, `ver` and `sid` in tokens signed with the legacy HS256 secret. Nothing here grants access:
 * authorization reads the database, so a revoked right or a downgrade applies on the next request.
 */
export type VerifiedClaims = Pick<TokenClaims, "userId" | "email" | "displayName" | "isAdmin"> &
  Partial<Omit<TokenClaims, "userId" | "email" | "displayName" | "isAdmin">>;

export function toPayload(claims: TokenClaims) {
  return {
    user_id: claims.userId,
    email: claims.email,
    display_name: claims.displayName,
    is_admin: claims.isAdmin,
    tier_slug: claims.tierSlug,
    tier_level: claims.tierLevel,
    subscription_status: claims.subscriptionStatus,
    ent: claims.ent,
    ver: claims.ver,
    sid: claims.sid,
  };
}

// Everything beyond the account is optional on read: older tokens lack it (see VerifiedClaims).
export const payloadSchema = z.object({
  user_id: z.guid(),
  email: z.string(),
  display_name: z.string(),
  is_admin: z.boolean().optional(),
  tier_slug: z.string().optional(),
  tier_level: z.number().int().optional(),
  subscription_status: z.string().optional(),
  ent: z.record(z.string(), z.union([z.number(), z.boolean(), z.null()])).optional(),
  ver: z.number().int().nonnegative().optional(),
  sid: z.guid().optional(),
});

export function fromPayload(payload: z.infer<typeof payloadSchema>): VerifiedClaims {
  return {
    userId: payload.user_id,
    email: payload.email,
    displayName: payload.display_name,
    isAdmin: payload.is_admin ?? false,
    tierSlug: payload.tier_slug,
    tierLevel: payload.tier_level,
    subscriptionStatus: payload.subscription_status,
    ent: payload.ent,
    ver: payload.ver,
    sid: payload.sid,
  };
}
