import { DEFAULT_ACCESS_TOKEN_TTL_SECONDS } from "./access-token.ts";
import { type PrivateSigningJwk, parseSigningKeys } from "./signing-keys.ts";

/** The token settings of a deployment, read the same way by the Node entry and the Worker. */
export interface TokenSettings {
  /** JWT_SIGNING_KEYS: the first signs, all verify. */
  signingKeys: PrivateSigningJwk[];
  /** JWT_SECRET: verifies tokens signed before the switch to ES256, while it is set. */
  legacySecret?: string;
  /** ACCESS_TOKEN_TTL. */
  accessTokenTtlSeconds: number;
}

const MIN_TTL_SECONDS = 60;
const MAX_TTL_SECONDS = 24 * 60 * 60;

/** ACCESS_TOKEN_TTL: whole seconds, 60 to 86400; 900 (15 minutes) when unset. */
export function parseAccessTokenTtl(value: string | undefined): number {
  if (!value) return DEFAULT_ACCESS_TOKEN_TTL_SECONDS;
  const seconds = Number(value);
  if (!Number.isInteger(seconds) || seconds < MIN_TTL_SECONDS || seconds > MAX_TTL_SECONDS) {
    throw new Error(`ACCESS_TOKEN_TTL must be whole seconds from ${MIN_TTL_SECONDS} to ${MAX_TTL_SECONDS}, got "${value}".`);
  }
  return seconds;
}

export function tokenSettings(env: { JWT_SIGNING_KEYS: string; JWT_SECRET?: string; ACCESS_TOKEN_TTL?: string }): TokenSettings {
  return {
    signingKeys: parseSigningKeys(env.JWT_SIGNING_KEYS),
    legacySecret: env.JWT_SECRET || undefined,
    accessTokenTtlSeconds: parseAccessTokenTtl(env.ACCESS_TOKEN_TTL),
  };
}
