import type { Database, DatabaseHandle } from "../db/client/types.ts";

/**
 * The caller as the verified JWT says, except `isAdmin`, which requireAuth reads from the database;
 * authorization decisions (requireAdmin, requireTier) re-read the database themselves.
 */
export interface AuthUser {
  userId: string;
  email: string;
  displayName: string;
  isAdmin: boolean;
  /** A display snapshot from sign-in time (absent in tokens older than tiers); never used to grant access. */
  tierSlug?: string;
  tierLevel?: number;
  subscriptionStatus?: string;
}

export type LogEntry = Record<string, unknown> & { level: "info" | "warn" | "error"; msg: string };

export interface AppDeps {
  /**
   * Node and tests share one Database; Workers open a handle (a Neon Pool) per request that is
   * closed after the response.
   */
  database: { db: Database } | { open: () => DatabaseHandle };
  /** Every lifecycle decision reads time from here, so tests can travel in time. */
  clock: () => Date;
  jwtSecret: string;
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
