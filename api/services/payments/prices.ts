import type Stripe from "stripe";
import type { BillingCycle, Tier } from "../../../db/schema.ts";
import { BILLING_CYCLES } from "../../../db/schema.ts";
import { PaymentError, stripeCall } from "./payment-error.ts";

/** A paid tier's Stripe price is found by lookup key, so prices can change in Stripe without a deploy. */
export function lookupKeyFor(tier: Tier, cycle: BillingCycle): string {
  return tier.priceLookupKeys?.[cycle] ?? `tierkit_${tier.slug}_${cycle}`;
}

/** The tier and cycle a Stripe price stands for; null for a price tierkit does not sell. */
export function planOfPrice(
  tiers: Tier[],
  price: Pick<Stripe.Price, "lookup_key">,
): { tierSlug: string; billingCycle: BillingCycle } | null {
  if (!price.lookup_key) return null;
  for (const tier of tiers) {
    for (const cycle of BILLING_CYCLES) {
      if (lookupKeyFor(tier, cycle) === price.lookup_key) return { tierSlug: tier.slug, billingCycle: cycle };
    }
  }
  return null;
}

const TTL_MS = 10 * 60 * 1000;

/** Lookup key -> price id per Stripe client, kept for ten minutes (a price change in Stripe shows within that). */
export function createPriceResolver(stripe: Stripe, clock: () => Date) {
  const cache = new Map<string, { id: string; until: number }>();
  return async function priceIdFor(tier: Tier, cycle: BillingCycle): Promise<string> {
    const key = lookupKeyFor(tier, cycle);
    const now = clock().getTime();
    const hit = cache.get(key);
    if (hit && hit.until > now) return hit.id;
    const { data } = await stripeCall(() => stripe.prices.list({ lookup_keys: [key], active: true, limit: 1 }));
    const price = data[0];
    // tierkit's catalog is in US cents; a price in another currency would charge a different amount.
    if (price?.currency !== "usd") {
      throw new PaymentError(
        "unavailable",
        "price_not_configured",
        `No active USD Stripe price has the lookup key "${key}".`,
        {
          retryAfter: 60,
        },
      );
    }
    cache.set(key, { id: price.id, until: now + TTL_MS });
    return price.id;
  };
}

export type PriceResolver = ReturnType<typeof createPriceResolver>;
