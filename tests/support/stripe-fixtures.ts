// Stripe objects as the fake serves them, typed against stripe-node's own types (`satisfies`), so a
// field the SDK renames or moves (the period onto the items, an invoice's subscription under
// parent.subscription_details) breaks the build here rather than passing silently.
import type Stripe from "stripe";

export type FakePrice = Pick<
  Stripe.Price,
  "id" | "object" | "active" | "currency" | "lookup_key" | "unit_amount" | "type" | "livemode" | "metadata"
> & { recurring: Pick<Stripe.Price.Recurring, "interval" | "interval_count"> };

export type FakeItem = Pick<
  Stripe.SubscriptionItem,
  "id" | "object" | "quantity" | "current_period_start" | "current_period_end" | "subscription" | "created" | "metadata"
> & { price: FakePrice };

export type FakeSubscription = Pick<
  Stripe.Subscription,
  | "id"
  | "object"
  | "customer"
  | "status"
  | "billing_cycle_anchor"
  | "cancel_at"
  | "cancel_at_period_end"
  | "canceled_at"
  | "created"
  | "currency"
  | "metadata"
  | "schedule"
  | "start_date"
  | "trial_end"
  | "trial_start"
  | "ended_at"
  | "livemode"
> & { items: { object: "list"; data: FakeItem[]; has_more: boolean; url: string } };

export type FakeInvoice = Pick<
  Stripe.Invoice,
  | "id"
  | "object"
  | "customer"
  | "status"
  | "amount_due"
  | "amount_paid"
  | "currency"
  | "billing_reason"
  | "period_start"
  | "period_end"
  | "parent"
  | "livemode"
>;

export type FakeSession = Pick<
  Stripe.Checkout.Session,
  | "id"
  | "object"
  | "mode"
  | "status"
  | "url"
  | "customer"
  | "client_reference_id"
  | "metadata"
  | "subscription"
  | "success_url"
  | "livemode"
> & { price: string; trial_period_days: number | null; subscription_metadata: Record<string, string> };

export type FakeSchedule = Pick<
  Stripe.SubscriptionSchedule,
  "id" | "object" | "status" | "end_behavior" | "livemode"
> & {
  subscription: string;
  phases: { start_date: number; end_date: number | null; items: { price: string }[] }[];
};

export function price(id: string, lookupKey: string, cents: number, interval: "month" | "year"): FakePrice {
  return {
    id,
    object: "price",
    active: true,
    currency: "usd",
    lookup_key: lookupKey,
    unit_amount: cents,
    type: "recurring",
    livemode: false,
    metadata: {},
    recurring: { interval, interval_count: 1 },
  } satisfies FakePrice;
}

export function subscription(input: {
  id: string;
  customer: string;
  item: FakeItem;
  status: Stripe.Subscription.Status;
  created: number;
  anchor: number;
  trialEnd: number | null;
  metadata: Record<string, string>;
}): FakeSubscription {
  return {
    id: input.id,
    object: "subscription",
    customer: input.customer,
    status: input.status,
    billing_cycle_anchor: input.anchor,
    cancel_at: null,
    cancel_at_period_end: false,
    canceled_at: null,
    created: input.created,
    currency: "usd",
    metadata: input.metadata,
    schedule: null,
    start_date: input.created,
    trial_end: input.trialEnd,
    trial_start: input.trialEnd ? input.created : null,
    ended_at: null,
    livemode: false,
    items: {
      object: "list",
      data: [input.item],
      has_more: false,
      url: `/v1/subscription_items?subscription=${input.id}`,
    },
  } satisfies FakeSubscription;
}

export function invoice(input: {
  id: string;
  subscription: FakeSubscription;
  paid: boolean;
  amount: number;
  reason: Stripe.Invoice.BillingReason;
}): FakeInvoice {
  const item = input.subscription.items.data[0]!;
  return {
    id: input.id,
    object: "invoice",
    customer: input.subscription.customer,
    status: input.paid ? "paid" : "open",
    amount_due: input.amount,
    amount_paid: input.paid ? input.amount : 0,
    currency: "usd",
    billing_reason: input.reason,
    period_start: item.current_period_start,
    period_end: item.current_period_end,
    parent: {
      type: "subscription_details",
      quote_details: null,
      subscription_details: { subscription: input.subscription.id, metadata: input.subscription.metadata },
    },
    livemode: false,
  } satisfies FakeInvoice;
}
