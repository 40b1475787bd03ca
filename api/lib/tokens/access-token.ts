import { errors, type JWTHeaderParameters, jwtVerify, SignJWT } from "jose";
import {
  fromPayload,
  JWT_AUDIENCE,
  JWT_ISSUER,
  payloadSchema,
  type TokenClaims,
  toPayload,
  type VerifiedClaims,
} from "./claims.ts";
import { SIGNING_ALG, type TokenKeys } from "./signing-keys.ts";

export const DEFAULT_ACCESS_TOKEN_TTL_SECONDS = 15 * 60;
const LEGACY_ALG = "HS256";

export type TokenFailure = "token_expired" | "invalid_token";

export class TokenError extends Error {
  readonly code: TokenFailure;

  constructor(code: TokenFailure, message: string) {
    super(message);
    this.name = "TokenError";
    this.code = code;
  }
}

export async function signAccessToken(
  keys: TokenKeys,
  claims: TokenClaims,
  now: Date,
  ttlSeconds: number,
): Promise<string> {
  const issuedAt = Math.floor(now.getTime() / 1000);
  return new SignJWT(toPayload(claims))
    .setProtectedHeader({ alg: SIGNING_ALG, typ: "JWT", kid: keys.current.kid })
    .setIssuer(JWT_ISSUER)
    .setAudience(JWT_AUDIENCE)
    .setSubject(claims.userId)
    .setIssuedAt(issuedAt)
    .setExpirationTime(issuedAt + ttlSeconds)
    .sign(keys.current.privateKey);
}

/**
 * The key for a token's header, pinned by key type: an ES256 header gets a configured P-256 key by
 * its kid, an HS256 header the legacy secret (only while JWT_SECRET is set). Nothing else is
 * accepted, so a token signed with HS256 over a public key's bytes finds no key to confuse.
 */
function keyFor(keys: TokenKeys, header: JWTHeaderParameters): CryptoKey {
  if (header.alg === SIGNING_ALG) {
    const key = typeof header.kid === "string" ? keys.byKid.get(header.kid) : undefined;
    if (!key) throw new TokenError("invalid_token", "The token was signed with an unknown key.");
    return key.publicKey;
  }
  if (header.alg === LEGACY_ALG && keys.legacySecret) return keys.legacySecret;
  throw new TokenError("invalid_token", "The token is not valid.");
}

/** The token's claims, or a TokenError; `now` comes from the app clock so expiry follows test time. */
export async function verifyAccessToken(keys: TokenKeys, token: string, now: Date): Promise<VerifiedClaims> {
  let payload: unknown;
  try {
    ({ payload } = await jwtVerify(token, (header) => keyFor(keys, header), {
      algorithms: keys.legacySecret ? [SIGNING_ALG, LEGACY_ALG] : [SIGNING_ALG],
      issuer: JWT_ISSUER,
      audience: JWT_AUDIENCE,
      requiredClaims: ["exp", "iat"],
      currentDate: now,
    }));
  } catch (error) {
    if (error instanceof TokenError) throw error;
    if (error instanceof errors.JWTExpired) throw new TokenError("token_expired", "The token has expired.");
    if (error instanceof errors.JOSEError || error instanceof TypeError) {
      throw new TokenError("invalid_token", "The token is not valid.");
    }
    throw error;
  }
  const parsed = payloadSchema.safeParse(payload);
  if (!parsed.success) throw new TokenError("invalid_token", "The token's claims are not valid.");
  return fromPayload(parsed.data);
}
