import { parseOriginList } from "../lib/origin-list.ts";
import { paymentSettingsFromEnv } from "../services/payments/settings.ts";
import { accountSettings } from "./demo-accounts.ts";
import { resolveSecret } from "./dev-secret.ts";
import { LOCAL_DATA_DIR, LOCAL_PGLITE_DIR } from "./local-data.ts";
import type { ApiServerOptions } from "./start-api-server.ts";

export const DEFAULT_API_PORT = 8787;

function port(value: string | undefined, fallback: number, name: string): number {
  if (!value) return fallback;
  const parsed = Number(value);
  if (!Number.isInteger(parsed) || parsed < 0 || parsed > 65535) throw new Error(`${name} must be a port number, got "${value}".`);
  return parsed;
}

export function portFromEnv(env: NodeJS.ProcessEnv, name: string, fallback: number): number {
  return port(env[name], fallback, name);
}

/** Laptops listen on loopback only (the default admin password is printed); servers on every interface. */
export function listenHost(env: NodeJS.ProcessEnv, production: boolean): string {
  return env.HOST || (production ? "0.0.0.0" : "127.0.0.1");
}

/** `npm start` / `node api/node.ts` configuration; production refuses the conveniences meant for laptops. */
export function apiSettingsFromEnv(env: NodeJS.ProcessEnv): ApiServerOptions {
  const production = env.NODE_ENV === "production";
  return {
    port: portFromEnv(env, "PORT", DEFAULT_API_PORT),
    hostname: listenHost(env, production),
    databaseUrl: env.DATABASE_URL || undefined,
    dataDir: LOCAL_PGLITE_DIR,
    jwtSecret: resolveSecret({ name: "JWT_SECRET", value: env.JWT_SECRET, production, file: `${LOCAL_DATA_DIR}jwt-secret` }),
    accounts: accountSettings(env, production),
    corsOrigins: parseOriginList(env.CORS_ORIGINS),
    // Checkout and the billing portal send the user back to the web app (`npm start` serves it on WEB_PORT).
    payments: paymentSettingsFromEnv(env, env.APP_ORIGIN || `http://localhost:${env.WEB_PORT || 3000}`),
    appOrigin: env.APP_ORIGIN || undefined,
  };
}

/** Where the data lives, for the start-up banner (never the password of a URL). */
export function describeDatabase(options: Pick<ApiServerOptions, "databaseUrl" | "dataDir">): string {
  if (!options.databaseUrl) return `PGlite in ${options.dataDir ?? "memory"} (set DATABASE_URL to use PostgreSQL)`;
  const url = new URL(options.databaseUrl);
  return `PostgreSQL ${url.hostname}:${url.port || 5432}${url.pathname}`;
}
