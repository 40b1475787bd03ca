import type { PrivateSigningJwk } from "./signing-keys.ts";

/**
 * The token settings of a deployment, as the Node entry and the Worker hand them to the app; both
 * read them through the fields of api/lib/settings/fields.ts.
 */
export interface TokenSettings {
  /** JWT_SIGNING_KEYS: the first signs, all verify. */
  signingKeys: PrivateSigningJwk[];
  /** JWT_SECRET: verifies tokens signed before the switch to ES256, while it is set. */
  legacySecret?: string;
  /** ACCESS_TOKEN_TTL. */
  accessTokenTtlSeconds: number;
}
