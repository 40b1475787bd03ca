import { base64url, calculateJwkThumbprint, importJWK } from "jose";
import { z } from "zod";

/** The one signing algorithm: ES256 over P-256 keys. */
export const SIGNING_ALG = "ES256";

export const privateJwkSchema = z.object({
  kty: z.literal("EC", { error: 'kty must be "EC"' }),
  crv: z.literal("P-256", { error: 'crv must be "P-256"' }),
  x: z.string().min(1),
  y: z.string().min(1),
  d: z.string({ error: "d (the private part) is missing" }).min(1),
});

export type PrivateSigningJwk = z.infer<typeof privateJwkSchema>;

/** A published key: only the public members, its thumbprint as kid, and what it is for. */
export interface PublicSigningJwk {
  kty: "EC";
  crv: "P-256";
  x: string;
  y: string;
  kid: string;
  alg: typeof SIGNING_ALG;
  use: "sig";
}

export interface SigningKey {
  /** RFC 7638 thumbprint of the public key. */
  kid: string;
  privateKey: CryptoKey;
  publicKey: CryptoKey;
  publicJwk: PublicSigningJwk;
  /** HMAC key derived from the private key, for refresh-token successors (see refresh-token.ts). */
  successorKey: CryptoKey;
}

/** Every key the API signs and verifies with; built once per process (or Worker isolate). */
export interface TokenKeys {
  /** The first configured key: it signs every new token. */
  current: SigningKey;
  /** Every configured key, current and standby or retiring, by kid: each one verifies. */
  byKid: ReadonlyMap<string, SigningKey>;
  /** The legacy HS256 secret (JWT_SECRET), verify-only, while it is configured. */
  legacySecret?: CryptoKey;
}

const SUCCESSOR_INFO = new TextEncoder().encode("tierkit refresh-token successor v1");

/**
 * What is wrong with a JWT_SIGNING_KEYS value (a JSON array of private P-256 JWKs, the first
 * signing, all verifying), or its keys; the problem is worded to follow the setting's name.
 */
export function readSigningKeys(json: string): { keys: PrivateSigningJwk[] } | { problem: string } {
  let value: unknown;
  try {
    value = JSON.parse(json);
  } catch {
    return { problem: "must be a JSON array of private JWKs" };
  }
  const parsed = z.array(privateJwkSchema).min(1, "must hold at least one key").safeParse(value);
  if (parsed.success) return { keys: parsed.data };
  const issue = parsed.error.issues[0];
  if (!issue?.path.length) return { problem: issue?.message ?? "must be an array of EC P-256 private JWKs" };
  return { problem: `is not valid (key ${issue.path.join(".")}): ${issue.message}` };
}

/** JWT_SIGNING_KEYS read where no settings schema is involved (a stored local key); throws what is wrong. */
export function parseSigningKeys(json: string): PrivateSigningJwk[] {
  const read = readSigningKeys(json);
  if ("problem" in read) throw new Error(`JWT_SIGNING_KEYS ${read.problem}.`);
  return read.keys;
}

async function loadKey(jwk: PrivateSigningJwk): Promise<SigningKey> {
  const publicMembers = { kty: jwk.kty, crv: jwk.crv, x: jwk.x, y: jwk.y };
  const kid = await calculateJwkThumbprint(publicMembers, "sha256");
  let privateKey: CryptoKey;
  let publicKey: CryptoKey;
  try {
    privateKey = (await importJWK({ ...jwk, ext: false }, SIGNING_ALG)) as CryptoKey;
    publicKey = (await importJWK(publicMembers, SIGNING_ALG)) as CryptoKey;
  } catch (error) {
    throw new Error(`JWT_SIGNING_KEYS holds a key (${kid}) that is not a valid P-256 key: ${(error as Error).message}`);
  }
  const secret = await crypto.subtle.importKey("raw", new Uint8Array(base64url.decode(jwk.d)), "HKDF", false, [
    "deriveKey",
  ]);
  const successorKey = await crypto.subtle.deriveKey(
    { name: "HKDF", hash: "SHA-256", salt: new Uint8Array(0), info: SUCCESSOR_INFO },
    secret,
    { name: "HMAC", hash: "SHA-256", length: 256 },
    false,
    ["sign"],
  );
  return {
    kid,
    privateKey,
    publicKey,
    successorKey,
    publicJwk: { ...publicMembers, kid, alg: SIGNING_ALG, use: "sig" },
  };
}

export async function loadTokenKeys(config: {
  signingKeys: PrivateSigningJwk[];
  legacySecret?: string;
}): Promise<TokenKeys> {
  const keys = await Promise.all(config.signingKeys.map(loadKey));
  const byKid = new Map(keys.map((key) => [key.kid, key]));
  if (byKid.size !== keys.length) throw new Error("JWT_SIGNING_KEYS lists the same key twice.");
  const legacySecret = config.legacySecret
    ? await crypto.subtle.importKey(
        "raw",
        new TextEncoder().encode(config.legacySecret),
        { name: "HMAC", hash: "SHA-256" },
        false,
        ["verify"],
      )
    : undefined;
  return { current: keys[0] as SigningKey, byKid, legacySecret };
}

/** The JWK Set consumers verify with: public members only, in the configured order. */
export function publicJwks(keys: TokenKeys): { keys: PublicSigningJwk[] } {
  return { keys: [...keys.byKid.values()].map((key) => key.publicJwk) };
}
