import { SignJWT, errors, jwtVerify } from "jose";
import { z } from "zod";
import type { AuthUser } from "../env.ts";
import type { AccountClaims } from "../services/users.ts";

export const JWT_ISSUER = "tierkit";
export const JWT_AUDIENCE = "tierkit-api";
export const TOKEN_LIFETIME_SECONDS = 7 * 24 * 60 * 60;

/** What a token says about its user: the account and a snapshot of its current tier. */
export type TokenClaims = AccountClaims;

// Tier claims and is_admin are optional on read: tokens issued before tiers existed lack them.
const payloadSchema = z.object({
  user_id: z.guid(),
  email: z.string(),
  display_name: z.string(),
  is_admin: z.boolean().optional(),
  tier_slug: z.string().optional(),
  tier_level: z.number().int().optional(),
  subscription_status: z.string().optional(),
  trial_ends_at: z.iso.datetime().optional(),
});

export type TokenFailure = "token_expired" | "invalid_token";

export class TokenError extends Error {
  readonly code: TokenFailure;

  constructor(code: TokenFailure, message: string) {
    super(message);
    this.name = "TokenError";
    this.code = code;
  }
}

// Importing the HMAC key is a WebCrypto call per use; every request verifies a token, so each
// secret is imported once per isolate.
const keys = new Map<string, Promise<CryptoKey>>();

function keyFor(secret: string): Promise<CryptoKey> {
  let key = keys.get(secret);
  if (!key) {
    key = crypto.subtle.importKey("raw", new TextEncoder().encode(secret), { name: "HMAC", hash: "SHA-256" }, false, [
      "sign",
      "verify",
    ]);
    keys.set(secret, key);
  }
  return key;
}

export async function signToken(secret: string, claims: TokenClaims, now: Date): Promise<string> {
  const issuedAt = Math.floor(now.getTime() / 1000);
  return new SignJWT({
    user_id: claims.userId,
    email: claims.email,
    display_name: claims.displayName,
    is_admin: claims.isAdmin,
    tier_slug: claims.tierSlug,
    tier_level: claims.tierLevel,
    subscription_status: claims.subscriptionStatus,
    // Only while trialing (absent otherwise, as in tokens from before trials).
    trial_ends_at: claims.trialEndsAt ? claims.trialEndsAt.toISOString() : undefined,
  })
    .setProtectedHeader({ alg: "HS256", typ: "JWT" })
    .setIssuer(JWT_ISSUER)
    .setAudience(JWT_AUDIENCE)
    .setIssuedAt(issuedAt)
    .setExpirationTime(issuedAt + TOKEN_LIFETIME_SECONDS)
    .sign(await keyFor(secret));
}

/** The token's user, or a TokenError; `now` comes from the app clock so expiry follows test time. */
export async function verifyToken(secret: string, token: string, now: Date): Promise<AuthUser> {
  let payload: unknown;
  try {
    ({ payload } = await jwtVerify(token, await keyFor(secret), {
      algorithms: ["HS256"],
      issuer: JWT_ISSUER,
      audience: JWT_AUDIENCE,
      requiredClaims: ["exp", "iat"],
      currentDate: now,
    }));
  } catch (error) {
    if (error instanceof errors.JWTExpired) throw new TokenError("token_expired", "The token has expired.");
    if (error instanceof errors.JOSEError || error instanceof TypeError) {
      throw new TokenError("invalid_token", "The token is not valid.");
    }
    throw error;
  }
  const parsed = payloadSchema.safeParse(payload);
  if (!parsed.success) throw new TokenError("invalid_token", "The token's claims are not valid.");
  const claims = parsed.data;
  return {
    userId: claims.user_id,
    email: claims.email,
    displayName: claims.display_name,
    isAdmin: claims.is_admin ?? false,
    tierSlug: claims.tier_slug,
    tierLevel: claims.tier_level,
    subscriptionStatus: claims.subscription_status,
    trialEndsAt: claims.trial_ends_at,
  };
}
