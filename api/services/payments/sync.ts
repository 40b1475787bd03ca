import type Stripe from "stripe";
import type { Database } from "../../../db/client/types.ts";
import {
  applyProviderState,
  listTiers,
  type ProviderEvent,
  type ProviderState,
  recordProviderEvent,
} from "../subscriptions/index.ts";
import type { StripeContext } from "./context.ts";
import { customerIdOf } from "./customers.ts";
import { stripeCall } from "./payment-error.ts";
import { planOfPrice } from "./prices.ts";
import { decisiveSubscription, stateOf } from "./subscription-state.ts";

/** Maps Stripe prices to tiers with the catalog as stored now. */
export async function planReader(db: Database) {
  const tiers = await listTiers(db);
  return (price: Stripe.Price) => planOfPrice(tiers, price);
}

/**
 * The customer's decisive subscription, read from Stripe now (never from an event's possibly stale
 * copy): null when the customer has none, "unmapped" when it grants nothing tierkit knows (an
 * incomplete first payment, a price tierkit does not sell), which changes nothing.
 */
export async function readCustomerState(
  ctx: StripeContext,
  db: Database,
  customerId: string,
): Promise<ProviderState | null | "unmapped"> {
  const { data } = await stripeCall(() =>
    ctx.stripe.subscriptions.list({ customer: customerId, status: "all", limit: 20 }),
  );
  const decisive = decisiveSubscription(data);
  if (!decisive) return null;
  return stateOf(decisive, await planReader(db)) ?? "unmapped";
}

/**
 * Re-reads the user's subscription from Stripe and applies it through the lifecycle: on the return
 * from Checkout (rather than waiting for the webhook), and for every webhook event (with the event,
 * recorded in the same transaction).
 */
export async function syncUser(
  ctx: StripeContext,
  db: Database,
  input: { userId: string; now: Date; event?: ProviderEvent; customerId?: string },
) {
  const customerId = input.customerId ?? (await customerIdOf(db, input.userId));
  const state = customerId ? await readCustomerState(ctx, db, customerId) : null;
  if (state === "unmapped") {
    const fresh = input.event ? await recordProviderEvent(db, input.event, input.now) : true;
    return { change: null, duplicate: !fresh };
  }
  return applyProviderState(db, {
    userId: input.userId,
    state,
    now: input.now,
    graceDays: ctx.settings.graceDays,
    event: input.event,
  });
}
