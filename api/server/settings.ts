import { z } from "zod";
import {
  accessTokenTtlField,
  adminPasswordField,
  booleanField,
  originField,
  originListField,
  portField,
  postgresUrlField,
  secretField,
  signingKeysField,
  trustProxyField,
} from "../lib/settings/fields.ts";
import { parseSettings } from "../lib/settings/parse.ts";
import { checkPaymentSettings, paymentSettingsOf, paymentSettingsShape } from "../services/payments/settings.ts";
import { DEFAULT_ADMIN_EMAIL, DEFAULT_ADMIN_PASSWORD } from "./demo-accounts.ts";
import { LOCAL_PGLITE_DIR } from "./local-data.ts";
import { localSigningKeys } from "./signing-keys.ts";
import type { ApiServerOptions } from "./start-api-server.ts";

export const DEFAULT_API_PORT = 8787;

export type NodeEnv = Record<string, string | undefined>;

export const isProduction = (env: NodeEnv) => env.NODE_ENV === "production";

/**
 * The API's settings on Node. Production refuses the conveniences meant for laptops (generated
 * secrets, the printed admin password) and secrets short enough to guess.
 */
export function nodeApiShape(production: boolean) {
  return {
    PORT: portField(DEFAULT_API_PORT),
    HOST: z.string().optional(),
    DATABASE_URL: postgresUrlField.optional(),
    // Laptops get a key generated into .data/ (api/server/signing-keys.ts); production brings its own.
    JWT_SIGNING_KEYS: production ? signingKeysField("when NODE_ENV=production") : signingKeysField().optional(),
    // Verify-only (tokens signed before ES256), so optional everywhere; checked whenever set. A
    // field-level check: a check on the whole object would be skipped when any field fails.
    JWT_SECRET: secretField(production).optional(),
    ACCESS_TOKEN_TTL: accessTokenTtlField,
    ADMIN_EMAIL: z.email("must be an email address").default(DEFAULT_ADMIN_EMAIL),
    ADMIN_PASSWORD: adminPasswordField(production),
    ADMIN_PROMOTE_EXISTING: booleanField,
    CORS_ORIGINS: originListField,
    TRUST_PROXY: trustProxyField("none"),
    APP_ORIGIN: originField.optional(),
    WEB_API_SECRET: secretField(production).optional(),
    LOG_REQUESTS: booleanField,
    ...paymentSettingsShape,
  };
}

/** The Node API's schema; Checkout can always return to the web app `npm start` serves. */
export function nodeApiSchema(production: boolean) {
  return z
    .object(nodeApiShape(production))
    .superRefine(checkPaymentSettings({ appUrlFallback: true }), { when: () => true });
}

type NodeApiSettings = z.output<z.ZodObject<ReturnType<typeof nodeApiShape>>>;

/** What startApiServer takes, from parsed settings; `appOrigin` is the web's address unless APP_ORIGIN says. */
export function apiServerOptions(
  settings: NodeApiSettings,
  env: NodeEnv,
  defaults: { appOrigin?: string } = {},
): ApiServerOptions {
  const production = isProduction(env);
  return {
    port: settings.PORT,
    // Laptops listen on loopback only (the default admin password is printed); servers on every interface.
    hostname: settings.HOST ?? (production ? "0.0.0.0" : "127.0.0.1"),
    databaseUrl: settings.DATABASE_URL,
    dataDir: LOCAL_PGLITE_DIR,
    tokens: {
      signingKeys: settings.JWT_SIGNING_KEYS ?? localSigningKeys(),
      legacySecret: settings.JWT_SECRET,
      accessTokenTtlSeconds: settings.ACCESS_TOKEN_TTL,
    },
    accounts: {
      admin: { email: settings.ADMIN_EMAIL, password: settings.ADMIN_PASSWORD ?? DEFAULT_ADMIN_PASSWORD },
      demoMember: !production,
      promoteExisting: settings.ADMIN_PROMOTE_EXISTING,
    },
    corsOrigins: settings.CORS_ORIGINS,
    trustProxy: settings.TRUST_PROXY,
    webHopSecret: settings.WEB_API_SECRET,
    appOrigin: settings.APP_ORIGIN ?? defaults.appOrigin,
    logRequests: settings.LOG_REQUESTS,
    // Checkout and the billing portal send the user back to the web app (`npm start` serves it on WEB_PORT).
    payments: paymentSettingsOf(
      settings,
      settings.APP_ORIGIN ?? defaults.appOrigin ?? `http://localhost:${env.WEB_PORT || 3000}`,
    ),
  };
}

/** `node api/node.ts`: parsed once at start; every problem is reported in one message. */
export function apiSettingsFromEnv(env: NodeEnv): ApiServerOptions {
  const settings = parseSettings(nodeApiSchema(isProduction(env)), env);
  return apiServerOptions(settings, env);
}

/** Where the data lives, for the start-up banner (never the password of a URL). */
export function describeDatabase(options: Pick<ApiServerOptions, "databaseUrl" | "dataDir">): string {
  if (!options.databaseUrl) return `PGlite in ${options.dataDir ?? "memory"} (set DATABASE_URL to use PostgreSQL)`;
  const url = new URL(options.databaseUrl);
  return `PostgreSQL ${url.hostname}:${url.port || 5432}${url.pathname}`;
}
