/** How tierkit takes payments. Without settings (the default) plan changes apply without payment. */
export interface StripeSettings {
  provider: "stripe";
  secretKey: string;
  webhookSecret: string;
  /** Where the SDK sends requests (stripe-mock, a local fake); Stripe's own API when unset. */
  apiBase?: string;
  /** Days a past_due subscription keeps its access before it ends. */
  graceDays: number;
  /** The web app's origin: where Checkout and the billing portal send the user back to. */
  appUrl: string;
  /** The SDK's retries of a failed connection (Stripe's idempotency keys make them safe). */
  maxNetworkRetries?: number;
}

export type PaymentSettings = StripeSettings;

export const DEFAULT_GRACE_DAYS = 7;

/**
 * PAYMENT_PROVIDER=stripe with STRIPE_SECRET_KEY and STRIPE_WEBHOOK_SECRET turns payments on;
 * anything half-configured is refused at start rather than failing on the first checkout.
 */
export function paymentSettingsFromEnv(env: Record<string, string | undefined>, appUrl?: string): PaymentSettings | undefined {
  const provider = env.PAYMENT_PROVIDER?.trim() || "none";
  if (provider === "none") return undefined;
  if (provider !== "stripe") throw new Error(`PAYMENT_PROVIDER must be "stripe" or "none", got "${provider}".`);
  const missing = ["STRIPE_SECRET_KEY", "STRIPE_WEBHOOK_SECRET"].filter((name) => !env[name]);
  if (missing.length) throw new Error(`PAYMENT_PROVIDER=stripe needs ${missing.join(" and ")}.`);
  const graceDays = env.GRACE_DAYS ? Number(env.GRACE_DAYS) : DEFAULT_GRACE_DAYS;
  if (!Number.isInteger(graceDays) || graceDays < 0) throw new Error(`GRACE_DAYS must be a whole number of days, got "${env.GRACE_DAYS}".`);
  const app = env.APP_URL || appUrl;
  if (!app) throw new Error("PAYMENT_PROVIDER=stripe needs APP_URL, the web app's origin Checkout returns to.");
  return {
    provider,
    secretKey: env.STRIPE_SECRET_KEY as string,
    webhookSecret: env.STRIPE_WEBHOOK_SECRET as string,
    apiBase: env.STRIPE_API_BASE || undefined,
    graceDays,
    appUrl: app,
  };
}
