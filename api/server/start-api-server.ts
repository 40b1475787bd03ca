import { openDatabase } from "../../db/client/open.ts";
import type { Database } from "../../db/client/types.ts";
import { createApp } from "../app.ts";
import type { LogEntry } from "../env.ts";
import { logJson } from "../lib/log-json.ts";
import { startCronLoop } from "./cron-loop.ts";
import { type AccountSettings, ensureAccounts } from "./demo-accounts.ts";
import { listen } from "./listen.ts";
import { type PaymentSettings, paymentsFor } from "../services/payments/index.ts";

export interface ApiServerOptions {
  port: number;
  hostname?: string;
  /** A postgres:// URL, or unset for the embedded PGlite in `dataDir` (in memory without one). */
  databaseUrl?: string;
  dataDir?: string;
  jwtSecret: string;
  accounts: AccountSettings;
  corsOrigins?: string[];
  clock?: () => Date;
  /** The web app's origin, for the links the API hands out (APP_ORIGIN). */
  appOrigin?: string;
  log?: (entry: LogEntry) => void;
  cronIntervalMs?: number;
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
  const handle = await openDatabase({ url: options.databaseUrl, dataDir: options.dataDir });
  try {
    await handle.migrate();
    await ensureAccounts(handle.db, options.accounts, clock(), log);
    const app = createApp({
      database: { db: handle.db },
      clock,
      jwtSecret: options.jwtSecret,
      corsOrigins: options.corsOrigins,
      appOrigin: options.appOrigin,
      log,
      payments: options.payments,
    });
    const server = await listen(app.fetch, options.port, options.hostname);
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
