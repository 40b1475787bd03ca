import type { Database, DatabaseHandle } from "../db/client/types.ts";
import type { ServiceCaller } from "./services/usage/service-keys.ts";

/**
 * The caller as the verified JWT says. Nothing here grants access: authorization (requireAdmin,
 * requireTier) reads the database, so a revoked right or a downgrade applies on the next request.
 */
export interface AuthUser {
  userId: string;
  email: string;
  displayName: string;
  isAdmin: boolean;
  /** Display snapshots from when the token was signed (tier claims are absent in tokens older than tiers). */
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
    /** The service behind a service key (the usage endpoints). */
    service: ServiceCaller;
  };
}
