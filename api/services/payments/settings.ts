import { z } from "zod";
import { parseSettings } from "../../lib/settings/parse.ts";

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

const httpUrl = z
  .string()
  .refine((value) => URL.canParse(value) && /^https?:$/.test(new URL(value).protocol), "must be an http(s) URL");

/**
 * The payment fields of every entry's settings schema (api/server/settings.ts for Node,
 * api/worker-settings.ts for the Worker), so they are checked together with the others.
 */
export const paymentSettingsShape = {
  PAYMENT_PROVIDER: z.enum(["stripe", "none"], { error: 'must be "stripe" or "none"' }).default("none"),
  STRIPE_SECRET_KEY: z.string().optional(),
  STRIPE_WEBHOOK_SECRET: z.string().optional(),
  /** Another Stripe API host (stripe-mock, a local fake); Stripe's own when unset. */
  STRIPE_API_BASE: httpUrl.optional(),
  GRACE_DAYS: z.string().regex(/^\d+$/, "must be a whole number of days").transform(Number).default(DEFAULT_GRACE_DAYS),
  /** The web app's origin, where Checkout and the billing portal return to. */
  APP_URL: httpUrl.optional(),
};

type PaymentFields = z.output<z.ZodObject<typeof paymentSettingsShape>>;

/**
 * PAYMENT_PROVIDER=stripe needs both secrets and somewhere to send the user back to; anything
 * half-configured is refused at start rather than failing on the first checkout. Attached to the
 * whole schema with `when: () => true` so it reports alongside the field problems, and so reads the
 * raw values.
 */
export function checkPaymentSettings(options: { appUrlFallback: boolean }) {
  return (env: Record<string, unknown>, ctx: z.RefinementCtx) => {
    if (env.PAYMENT_PROVIDER !== "stripe") return;
    for (const name of ["STRIPE_SECRET_KEY", "STRIPE_WEBHOOK_SECRET"]) {
      if (!env[name])
        ctx.addIssue({ code: "custom", path: [name], message: "must be set when PAYMENT_PROVIDER=stripe" });
    }
    if (!env.APP_URL && !env.APP_ORIGIN && !options.appUrlFallback) {
      ctx.addIssue({
        code: "custom",
        path: ["APP_URL"],
        message: "must be set when PAYMENT_PROVIDER=stripe (the web app's origin Checkout returns to)",
      });
    }
  };
}

/** The parsed fields as the app takes them; `appUrl` is the fallback when APP_URL is unset. */
export function paymentSettingsOf(fields: PaymentFields, appUrl?: string): PaymentSettings | undefined {
  if (fields.PAYMENT_PROVIDER === "none") return undefined;
  return {
    provider: fields.PAYMENT_PROVIDER,
    secretKey: fields.STRIPE_SECRET_KEY as string,
    webhookSecret: fields.STRIPE_WEBHOOK_SECRET as string,
    apiBase: fields.STRIPE_API_BASE,
    graceDays: fields.GRACE_DAYS,
    appUrl: (fields.APP_URL ?? appUrl) as string,
  };
}

/** The payment settings alone (throws a SettingsError naming every problem). */
export function paymentSettingsFromEnv(
  env: Record<string, string | undefined>,
  appUrl?: string,
): PaymentSettings | undefined {
  const schema = z
    .object(paymentSettingsShape)
    .superRefine(checkPaymentSettings({ appUrlFallback: Boolean(appUrl) }), { when: () => true });
  return paymentSettingsOf(parseSettings(schema, env), appUrl);
}
