import type { Database, DatabaseHandle } from "../db/client/types.ts";
import type { PaymentSettings } from "./services/payments/settings.ts";
import type { InvitationSender } from "./services/seats/sender.ts";

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
  /** ISO time a trial ends, while the status is trialing. */
  trialEndsAt?: string;
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
  /** Unset: no payment provider, plan changes apply without payment. */
  payments?: PaymentSettings;
  /** The web app's origin, for links the API hands out (seat invitations); see http/app-origin.ts. */
  appOrigin?: string;
  /** Delivers seat invitations; without one they are logged (development). */
  invitationSender?: InvitationSender;
}

export interface AppEnv {
  Variables: {
    db: Database;
    requestId: string;
    auth: AuthUser;
  };
}
