import Stripe from "stripe";
import type { StripeSettings } from "./settings.ts";

/**
 * The SDK on fetch (so the same code runs on Workers and Node) pointed at STRIPE_API_BASE when set:
 * stripe-node takes host, port and protocol separately.
 */
export function createStripeClient(settings: StripeSettings): Stripe {
  const base = new URL(settings.apiBase ?? "https://api.stripe.com");
  const protocol = base.protocol === "http:" ? "http" : "https";
  return new Stripe(settings.secretKey, {
    httpClient: Stripe.createFetchHttpClient(),
    host: base.hostname,
    port: Number(base.port) || (protocol === "http" ? 80 : 443),
    protocol,
    maxNetworkRetries: settings.maxNetworkRetries ?? 2,
    telemetry: false,
  });
}
