import type Stripe from "stripe";
import { createPriceResolver, type PriceResolver } from "./prices.ts";
import type { PaymentSettings } from "./settings.ts";
import { createStripeClient } from "./stripe-client.ts";

/** What every Stripe operation needs; built once per app (per isolate on Workers). */
export interface StripeContext {
  stripe: Stripe;
  settings: PaymentSettings;
  priceIdFor: PriceResolver;
}

/** The payment provider seam: null means none is configured and plan changes apply without payment. */
export function createPayments(settings: PaymentSettings | undefined, clock: () => Date): StripeContext | null {
  if (!settings) return null;
  const stripe = createStripeClient(settings);
  return { stripe, settings, priceIdFor: createPriceResolver(stripe, clock) };
}
