import type { Database } from "../../../db/client/types.ts";
import type { BillingCycle } from "../../../db/schema.ts";
import { findCurrent, listTiers } from "../subscriptions/index.ts";
import type { StripeContext } from "./context.ts";
import { ensureCustomer } from "./customers.ts";
import { PaymentError, stripeCall } from "./payment-error.ts";

export interface CheckoutInput {
  userId: string;
  email: string;
  displayName: string;
  tierSlug: string;
  billingCycle: BillingCycle;
  now: Date;
}

/**
 * A Stripe Checkout Session (mode subscription) for a user on the free tier. A session already open
 * for the same plan is handed out again, and open ones for another plan are expired, so the user
 * can complete at most one. The trial is offered once per customer: only to one who never had a
 * subscription.
 */
export async function startCheckout(ctx: StripeContext, db: Database, input: CheckoutInput): Promise<{ url: string }> {
  const [current, tiers] = await Promise.all([findCurrent(db, input.userId), listTiers(db, { activeOnly: true })]);
  const tier = tiers.find((t) => t.slug === input.tierSlug);
  if (!tier) throw new PaymentError("not_found", "not_a_paid_tier", `There is no tier "${input.tierSlug}" on offer.`);
  if (tier.monthlyPriceCents === 0 && tier.annualPriceCents === 0) {
    throw new PaymentError("invalid", "not_a_paid_tier", `${tier.name} is free; there is nothing to check out.`);
  }
  if (current && (current.paymentProvider || current.billingCycle)) {
    throw new PaymentError(
      "conflict",
      "already_subscribed",
      `You are subscribed to ${current.tier.name}; change plans with POST /api/user/subscription/upgrade.`,
    );
  }
  const price = await ctx.priceIdFor(tier, input.billingCycle);
  const customer = await ensureCustomer(ctx, db, input, input.now);

  const open = await stripeCall(() => ctx.stripe.checkout.sessions.list({ customer, status: "open", limit: 10 }));
  const same = open.data.find(
    (s) => s.metadata?.tier_slug === tier.slug && s.metadata?.billing_cycle === input.billingCycle,
  );
  if (same?.url) return { url: same.url };
  for (const other of open.data) await stripeCall(() => ctx.stripe.checkout.sessions.expire(other.id));

  const history =
    tier.trialDays > 0
      ? await stripeCall(() => ctx.stripe.subscriptions.list({ customer, status: "all", limit: 1 }))
      : null;
  const trial = history && history.data.length === 0 ? tier.trialDays : undefined;
  const metadata = { user_id: input.userId, tier_slug: tier.slug, billing_cycle: input.billingCycle };
  const app = ctx.settings.appUrl.replace(/\/$/, "");
  const session = await stripeCall(() =>
    ctx.stripe.checkout.sessions.create(
      {
        mode: "subscription",
        customer,
        client_reference_id: input.userId,
        line_items: [{ price, quantity: 1 }],
        metadata,
        subscription_data: { metadata: { user_id: input.userId }, ...(trial ? { trial_period_days: trial } : {}) },
        success_url: `${app}/profile?checkout=success`,
        cancel_url: `${app}/profile/upgrade?checkout=cancelled`,
      },
      // One session per user, plan and minute: a double click gets the same session from Stripe.
      { idempotencyKey: `tierkit-checkout-${input.userId}-${price}-${Math.floor(input.now.getTime() / 60_000)}` },
    ),
  );
  if (!session.url)
    throw new PaymentError("unavailable", "payment_provider_error", "Stripe returned a session without a URL.");
  return { url: session.url };
}
