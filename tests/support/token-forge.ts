import { calculateJwkThumbprint, exportSPKI, importJWK, type JWK, SignJWT } from "jose";
import { JWT_AUDIENCE, JWT_ISSUER } from "../../api/lib/tokens/claims.ts";
import type { PrivateSigningJwk } from "../../api/lib/tokens/signing-keys.ts";

// Tokens made by hand for tests: what a forger (or tierkit before ES256) would sign.

export const b64url = (value: unknown) => Buffer.from(JSON.stringify(value)).toString("base64url");

export interface ForgeOptions {
  /** Seconds since the epoch; defaults to `now`. */
  iat?: number;
  /** Seconds after iat; 0 for no exp. */
  lifetime?: number;
  /** Seconds since the epoch. */
  nbf?: number;
  iss?: string;
  aud?: string;
  kid?: string | null;
}

function build(claims: Record<string, unknown>, now: Date, header: Record<string, unknown>, options: ForgeOptions) {
  const iat = options.iat ?? Math.floor(now.getTime() / 1000);
  const jwt = new SignJWT(claims).setProtectedHeader({ typ: "JWT", alg: "none", ...header }).setIssuedAt(iat);
  if (options.iss !== "") jwt.setIssuer(options.iss ?? JWT_ISSUER);
  if (options.aud !== "") jwt.setAudience(options.aud ?? JWT_AUDIENCE);
  if (options.lifetime !== 0) jwt.setExpirationTime(iat + (options.lifetime ?? 900));
  if (options.nbf !== undefined) jwt.setNotBefore(options.nbf);
  return jwt;
}

export const kidOf = (jwk: PrivateSigningJwk | JWK) =>
  calculateJwkThumbprint({ kty: jwk.kty, crv: jwk.crv, x: jwk.x, y: jwk.y } as JWK, "sha256");

/** An ES256 token signed with `jwk` (the kid is its thumbprint unless given). */
export async function signEs256(
  jwk: PrivateSigningJwk,
  claims: Record<string, unknown>,
  now: Date,
  options: ForgeOptions = {},
) {
  const kid = options.kid === undefined ? await kidOf(jwk) : options.kid;
  const header = kid === null ? { alg: "ES256" } : { alg: "ES256", kid };
  return build(claims, now, header, options).sign(await importJWK(jwk, "ES256"));
}

/** An HMAC token signed with `secret` (text or bytes), as JWT_SECRET signed them. */
export function signHmac(
  secret: string | Uint8Array,
  claims: Record<string, unknown>,
  now: Date,
  options: ForgeOptions & { alg?: "HS256" | "HS384" | "HS512" } = {},
) {
  const key = typeof secret === "string" ? new TextEncoder().encode(secret) : secret;
  const header: Record<string, unknown> = { alg: options.alg ?? "HS256" };
  if (options.kid) header.kid = options.kid;
  return build(claims, now, header, options).sign(key);
}

/** The public key's bytes an algorithm-confusion attacker would use as an HMAC secret. */
export async function publicKeyBytes(jwk: PrivateSigningJwk): Promise<{ pem: string; json: string }> {
  const { kty, crv, x, y } = jwk;
  const pem = await exportSPKI((await importJWK({ kty, crv, x, y }, "ES256", { extractable: true })) as CryptoKey);
  return { pem, json: JSON.stringify({ kty, crv, x, y }) };
}
