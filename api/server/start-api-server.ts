import { getConnInfo } from "@hono/node-server/conninfo";
import { openDatabase } from "../../db/client/open.ts";
import type { Database } from "../../db/client/types.ts";
import { createApp } from "../app.ts";
import type { LogEntry } from "../env.ts";
import type { TrustProxy } from "../lib/client-address.ts";
import { logJson } from "../lib/log-json.ts";
import { loadTokenKeys } from "../lib/tokens/signing-keys.ts";
import type { TokenSettings } from "../lib/tokens/token-settings.ts";
import { type PaymentSettings, paymentsFor } from "../services/payments/index.ts";
import { startCronLoop } from "./cron-loop.ts";
import { type AccountSettings, ensureAccounts } from "./demo-accounts.ts";
import { listen } from "./listen.ts";
import { withServerHeaders } from "./server-headers.ts";

export interface ApiServerOptions {
  port: number;
  hostname?: string;
  /** A postgres:// URL, or unset for the embedded PGlite in `dataDir` (in memory without one). */
  databaseUrl?: string;
  dataDir?: string;
  tokens: TokenSettings;
  accounts: AccountSettings;
  corsOrigins?: string[];
  /** TRUST_PROXY; on Node nothing in front of the API is believed unless configured. */
  trustProxy?: TrustProxy;
  /** WEB_API_SECRET, which the web server sends to have its visitor's address used. */
  webHopSecret?: string;
  /** APP_ORIGIN, or the web's address. */
  appOrigin?: string;
  clock?: () => Date;
  log?: (entry: LogEntry) => void;
  cronIntervalMs?: number;
  /** One log line per request (LOG_REQUESTS); off by default so a terminal shows what matters. */
  logRequests?: boolean;
  /** Unset: no payment provider (plan changes apply without payment). */
  payments?: PaymentSettings;
}

export interface ApiServer {
  url: string;
  port: number;
  db: Database;
  close(): Promise<void>;
}

/** The API on Node: migrated database, start-up accounts, the HTTP server and the minute cron. */
export async function startApiServer(options: ApiServerOptions): Promise<ApiServer> {
  const clock = options.clock ?? (() => new Date());
  const log = options.log ?? logJson;
  const keys = await loadTokenKeys(options.tokens);
  const handle = await openDatabase({ url: options.databaseUrl, dataDir: options.dataDir });
  try {
    await handle.migrate();
    await ensureAccounts(handle.db, options.accounts, clock(), log);
    const app = createApp({
      database: { db: handle.db },
      clock,
      keys,
      accessTokenTtlSeconds: options.tokens.accessTokenTtlSeconds,
      corsOrigins: options.corsOrigins,
      log,
      logRequests: options.logRequests ?? false,
      clientAddress: {
        trustProxy: options.trustProxy ?? { kind: "none" },
        webHopSecret: options.webHopSecret,
        socketAddress: (c) => getConnInfo(c).remote.address,
      },
      appOrigin: options.appOrigin,
      payments: options.payments,
    });
    const server = await listen(await withServerHeaders(app.fetch), options.port, options.hostname);
    const payments = paymentsFor({ payments: options.payments, clock });
    const cron = startCronLoop({ db: handle.db, clock, log, intervalMs: options.cronIntervalMs, payments });
    return {
      url: server.url,
      port: server.port,
      db: handle.db,
      close: async () => {
        await server.close();
        await cron.stop();
        await handle.close();
      },
    };
  } catch (error) {
    await handle.close().catch(() => {});
    throw error;
  }
}
