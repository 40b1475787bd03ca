import type Stripe from "stripe";
import type { BillingCycle } from "../../../db/schema.ts";
import type { Mirror, ProviderState } from "../subscriptions/index.ts";
import type { StripeContext } from "./context.ts";
import { PaymentError, stripeCall } from "./payment-error.ts";
import { stateOf } from "./subscription-state.ts";

// The lifecycle's changes made in Stripe too. Each runs inside the lifecycle's transaction after
// its rules passed (lifecycle.ts, Mirror): a Stripe refusal leaves tierkit unchanged, and a Stripe
// change whose commit then fails is reconciled by the next webhook, which re-reads Stripe.

type Billed = { paymentProvider: string | null; paymentProviderId: string | null };

const stripeId = (current: Billed) => (current.paymentProvider === "stripe" ? current.paymentProviderId : null);

const retrieve = (ctx: StripeContext, id: string) => stripeCall(() => ctx.stripe.subscriptions.retrieve(id));

/** A pending schedule (a downgrade made here) is dropped, leaving the subscription as it is now. */
async function releaseSchedule(ctx: StripeContext, subscription: Stripe.Subscription): Promise<void> {
  if (!subscription.schedule) return;
  const id = typeof subscription.schedule === "string" ? subscription.schedule : subscription.schedule.id;
  await stripeCall(() => ctx.stripe.subscriptionSchedules.release(id));
}

function firstItem(subscription: Stripe.Subscription): Stripe.SubscriptionItem {
  const item = subscription.items.data[0];
  if (!item)
    throw new PaymentError(
      "unavailable",
      "payment_provider_error",
      `Stripe subscription ${subscription.id} has no item.`,
    );
  return item;
}

/**
 * Between paid tiers the price changes in the same request, prorated and invoiced at once; with
 * error_if_incomplete a declined card fails the update (402) and Stripe keeps the old price.
 */
export function upgradeMirror(
  ctx: StripeContext,
  cycle: BillingCycle,
  idempotencyKey?: string,
): Mirror<ProviderState | undefined> {
  return async (current, target) => {
    const id = stripeId(current);
    if (!id || !target) {
      throw new PaymentError(
        "conflict",
        "checkout_required",
        "Subscribe through checkout first: POST /api/user/subscription/checkout.",
      );
    }
    const price = await ctx.priceIdFor(target, cycle);
    const subscription = await retrieve(ctx, id);
    await releaseSchedule(ctx, subscription);
    const updated = await stripeCall(() =>
      ctx.stripe.subscriptions.update(
        id,
        {
          items: [{ id: firstItem(subscription).id, price }],
          proration_behavior: "always_invoice",
          payment_behavior: "error_if_incomplete",
          cancel_at_period_end: false,
        },
        idempotencyKey ? { idempotencyKey: `tierkit-upgrade-${current.id}-${idempotencyKey}` } : undefined,
      ),
    );
    const state = stateOf(updated, () => ({ tierSlug: target.slug, billingCycle: cycle }));
    return state ?? undefined;
  };
}

/**
 * tierkit schedules a downgrade at period end; Stripe gets the same as a subscription schedule: the
 * current price until the period ends, then the lower one (or, to the free tier, the end).
 */
export function downgradeMirror(ctx: StripeContext): Mirror {
  return async (current, target) => {
    const id = stripeId(current);
    if (!id || !target || !current.billingCycle || !current.currentPeriodEnd) return;
    const subscription = await retrieve(ctx, id);
    await releaseSchedule(ctx, subscription);
    const item = firstItem(subscription);
    const schedule = await stripeCall(() => ctx.stripe.subscriptionSchedules.create({ from_subscription: id }));
    const start = schedule.phases[0]?.start_date ?? item.current_period_start;
    const free = target.monthlyPriceCents === 0 && target.annualPriceCents === 0;
    const now = {
      items: [{ price: item.price.id, quantity: 1 }],
      start_date: start,
      end_date: item.current_period_end,
    };
    const next = free
      ? []
      : [
          {
            items: [{ price: await ctx.priceIdFor(target, current.billingCycle), quantity: 1 }],
            duration: {
              interval: current.billingCycle === "annual" ? ("year" as const) : ("month" as const),
              interval_count: 1,
            },
          },
        ];
    await stripeCall(() =>
      ctx.stripe.subscriptionSchedules.update(schedule.id, {
        phases: [now, ...next],
        end_behavior: free ? "cancel" : "release",
      }),
    );
  };
}

export function undoDowngradeMirror(ctx: StripeContext): Mirror {
  return async (current) => {
    const id = stripeId(current);
    if (id) await releaseSchedule(ctx, await retrieve(ctx, id));
  };
}

async function setCancelAtPeriodEnd(ctx: StripeContext, id: string, cancel: boolean): Promise<void> {
  const subscription = await retrieve(ctx, id);
  if (cancel) await releaseSchedule(ctx, subscription);
  if (subscription.cancel_at_period_end === cancel && !subscription.cancel_at === !cancel) return;
  await stripeCall(() =>
    ctx.stripe.subscriptions.update(
      id,
      cancel ? { cancel_at_period_end: true } : { cancel_at_period_end: false, cancel_at: "" },
    ),
  );
}

export function cancelMirror(ctx: StripeContext): Mirror {
  return async (current) => {
    const id = stripeId(current);
    if (id) await setCancelAtPeriodEnd(ctx, id, true);
  };
}

export function resumeMirror(ctx: StripeContext): Mirror {
  return async (current) => {
    const id = stripeId(current);
    if (id) await setCancelAtPeriodEnd(ctx, id, false);
  };
}

/**
 * An admin's assignment replaces what the user paid for with a complimentary tier: the Stripe
 * subscription stops renewing (cancel at period end, no refund of the paid period) and tierkit no
 * longer follows it (docs/decisions/009-payments-through-stripe.md).
 */
export function assignMirror(ctx: StripeContext): Mirror {
  return cancelMirror(ctx);
}
