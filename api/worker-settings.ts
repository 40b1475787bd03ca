import { z } from "zod";
import {
  accessTokenTtlField,
  originField,
  originListField,
  postgresUrlField,
  secretField,
  signingKeysField,
  trustProxyField,
} from "./lib/settings/fields.ts";
import { parseSettings } from "./lib/settings/parse.ts";
import {
  checkPaymentSettings,
  type PaymentSettings,
  paymentSettingsOf,
  paymentSettingsShape,
} from "./services/payments/settings.ts";

/**
 * The Worker's bindings (wrangler.toml `[vars]`, `wrangler secret put`, `wrangler dev --var`). A
 * deployed Worker is production: secrets must be long enough to resist guessing.
 */
export const workerSettingsSchema = z
  .object({
    DATABASE_URL: postgresUrlField,
    /** A JSON array of private EC P-256 JWKs: the first signs access tokens, all verify them. */
    JWT_SIGNING_KEYS: signingKeysField(),
    /** The HS256 secret of tokens signed before JWT_SIGNING_KEYS; verify-only, remove it to retire them. */
    JWT_SECRET: secretField(true).optional(),
    /** Access-token lifetime in seconds (default 900). */
    ACCESS_TOKEN_TTL: accessTokenTtlField,
    /** Comma-separated browser origins allowed by CORS. */
    CORS_ORIGINS: originListField,
    /** Local runs only: `host:port` of scripts/ws-proxy.ts in front of a plain PostgreSQL. */
    NEON_WS_PROXY: z.string().optional(),
    /** Local runs only: `host:port` of scripts/neon-http.ts, Neon's SQL-over-HTTP endpoint for a plain PostgreSQL. */
    NEON_HTTP_ENDPOINT: z.string().optional(),
    // Every request to a Worker comes through Cloudflare, which sets CF-Connecting-IP itself.
    TRUST_PROXY: trustProxyField("cloudflare"),
    APP_ORIGIN: originField.optional(),
    WEB_API_SECRET: secretField(true).optional(),
    // PAYMENT_PROVIDER, STRIPE_*, GRACE_DAYS, APP_URL (README "Payments (Stripe)").
    ...paymentSettingsShape,
  })
  // Checkout returns to APP_URL, or else APP_ORIGIN: a Worker has no web app of its own to default to.
  .superRefine(checkPaymentSettings({ appUrlFallback: false }), { when: () => true });

export type WorkerSettings = z.output<typeof workerSettingsSchema>;
export type WorkerEnv = Partial<Record<keyof z.input<typeof workerSettingsSchema>, string>>;

export function workerSettings(env: WorkerEnv): WorkerSettings {
  return parseSettings(workerSettingsSchema, env);
}

export function workerPaymentSettings(settings: WorkerSettings): PaymentSettings | undefined {
  return paymentSettingsOf(settings, settings.APP_ORIGIN);
}
