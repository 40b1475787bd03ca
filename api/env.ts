import type { Database, DatabaseHandle } from "../db/client/types.ts";
import type { VerifiedClaims } from "./lib/tokens/claims.ts";
import type { TokenKeys } from "./lib/tokens/signing-keys.ts";

/** The caller as the verified access token says (see VerifiedClaims: nothing in it grants access). */
export type AuthUser = VerifiedClaims;

export type LogEntry = Record<string, unknown> & { level: "info" | "warn" | "error"; msg: string };

export interface AppDeps {
  /**
   * Node and tests share one Database; Workers open a handle (a Neon Pool) per request that is
   * closed after the response.
   */
  database: { db: Database } | { open: () => DatabaseHandle };
  /** Every lifecycle decision reads time from here, so tests can travel in time. */
  clock: () => Date;
  /** Keys that sign and verify access tokens (JWT_SIGNING_KEYS, and JWT_SECRET while it is set). */
  keys: TokenKeys;
  /** Lifetime of an access token (ACCESS_TOKEN_TTL); 15 minutes unless set. */
  accessTokenTtlSeconds?: number;
  /** Browser origins allowed by CORS (the web app calls the API server-side and needs none). */
  corsOrigins?: string[];
  log?: (entry: LogEntry) => void;
}

export interface AppEnv {
  Variables: {
    db: Database;
    requestId: string;
    auth: AuthUser;
  };
}
