import type { Context } from "hono";
import type { Database, DatabaseHandle } from "../db/client/types.ts";
import type { TrustProxy } from "./lib/client-address.ts";

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
  /** Who the client is, for rate limits; without it every client is keyed by its socket address. */
  clientAddress?: ClientAddressSettings;
  /** The web app's origin (APP_ORIGIN): links meant for people are built on it. */
  appOrigin?: string;
}

export interface ClientAddressSettings {
  /** Which proxy in front of the API may name the visitor (TRUST_PROXY). */
  trustProxy: TrustProxy;
  /** WEB_API_SECRET: the web server proves with it that its X-Forwarded-For names its visitor. */
  webHopSecret?: string;
  /** The TCP peer, where the runtime has one (Node). */
  socketAddress?: (c: Context) => string | undefined;
}

export interface AppEnv {
  Variables: {
    db: Database;
    requestId: string;
    auth: AuthUser;
  };
}
