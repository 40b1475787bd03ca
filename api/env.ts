import type { Context } from "hono";
import type { Database, DatabaseHandle } from "../db/client/types.ts";
import type { TrustProxy } from "./lib/client-address.ts";
import type { VerifiedClaims } from "./lib/tokens/claims.ts";
import type { TokenKeys } from "./lib/tokens/signing-keys.ts";
import type { PaymentSettings } from "./services/payments/settings.ts";
import type { InvitationSender } from "./services/seats/sender.ts";
import type { ServiceCaller } from "./services/usage/service-keys.ts";

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
  /** A log line per request; on unless set false (the Node entry turns it on with LOG_REQUESTS). */
  logRequests?: boolean;
  /** Who the client is, for rate limits; without it every client is keyed by its socket address. */
  clientAddress?: ClientAddressSettings;
  /** The web app's origin (APP_ORIGIN): links meant for people are built on it. */
  appOrigin?: string;
  /** Unset: no payment provider, plan changes apply without payment. */
  payments?: PaymentSettings;
  /** Delivers seat invitations; without one they are logged (development). */
  invitationSender?: InvitationSender;
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
    /** The service behind a service key (the usage endpoints). */
    service: ServiceCaller;
  };
}
