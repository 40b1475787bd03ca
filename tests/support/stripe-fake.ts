// A stateful stand-in for the Stripe API behind msw: customers, prices, Checkout Sessions,
// subscriptions, schedules, invoices and the events they cause. The real stripe-node talks to it
// at STRIPE_API_BASE; tests drive what Stripe would do on its own (a completed checkout, a renewal,
// a declined card, a portal change) and deliver the resulting events signed, as Stripe would.
import Stripe from "stripe";
import { addMonthsUtc } from "../../api/services/subscriptions/period.ts";
import { stripeApiHandlers } from "./stripe-fake-api.ts";
import {
  type FakeInvoice,
  type FakePrice,
  type FakeSchedule,
  type FakeSession,
  type FakeSubscription,
  invoice,
  price,
  subscription,
} from "./stripe-fixtures.ts";

export const STRIPE_TEST_BASE = "http://stripe.test";
export const STRIPE_TEST_WEBHOOK_SECRET = "whsec_test_secret";

export type FakeEvent = Pick<
  Stripe.Event,
  "id" | "object" | "type" | "created" | "livemode" | "pending_webhooks" | "api_version"
> & {
  data: { object: unknown };
};

const CATALOG: [string, number, number][] = [
  ["pro", 999, 9990],
  ["business", 2999, 29990],
  ["elite", 4999, 49990],
  ["family", 7999, 79990],
];

export type Params = Record<string, any>;

let instances = 0;

export class StripeFake {
  readonly customers = new Map<string, { id: string; email: string; metadata: Record<string, string> }>();
  readonly prices = new Map<string, FakePrice>();
  readonly sessions = new Map<string, FakeSession>();
  readonly subscriptions = new Map<string, FakeSubscription>();
  readonly schedules = new Map<string, FakeSchedule>();
  readonly invoices = new Map<string, FakeInvoice>();
  /** Every request as received: method, path and params. */
  readonly requests: {
    method: string;
    path: string;
    params: Params;
    idempotencyKey: string | null;
  }[] = [];
  /** Events Stripe would have sent, oldest first; tests deliver them (in any order). */
  readonly events: FakeEvent[] = [];
  /** While set, every request fails to connect. */
  unreachable = false;
  /** While set, charging the card fails (card_declined). */
  declineCards = false;
  private sequence = 0;
  /** Idempotency-Key replays (stripe-fake-api.ts). */
  readonly replays = new Map<string, unknown>();

  constructor(private readonly clock: { now(): Date }) {
    for (const [slug, monthly, annual] of CATALOG) {
      this.prices.set(
        `price_${slug}_monthly`,
        price(`price_${slug}_monthly`, `tierkit_${slug}_monthly`, monthly, "month"),
      );
      this.prices.set(`price_${slug}_annual`, price(`price_${slug}_annual`, `tierkit_${slug}_annual`, annual, "year"));
    }
  }

  // Ids stay unique across the fakes of one test file, which share one database.
  private readonly tag = (++instances).toString(36);

  id(prefix: string) {
    this.sequence += 1;
    return `${prefix}_${this.tag}x${this.sequence.toString().padStart(6, "0")}`;
  }

  seconds(date = this.clock.now()) {
    return Math.floor(date.getTime() / 1000);
  }

  emit(type: string, object: unknown): FakeEvent {
    const event: FakeEvent = {
      id: this.id("evt"),
      object: "event",
      type: type as Stripe.Event["type"],
      created: this.seconds(),
      livemode: false,
      pending_webhooks: 1,
      api_version: Stripe.API_VERSION,
      data: { object: structuredClone(object) },
    };
    this.events.push(event);
    return event;
  }

  /** An event of a type tierkit does not handle, for the "ignored" path. */
  lastEventOr(type: string): FakeEvent {
    return (
      [...this.events].reverse().find((e) => e.type === type) ??
      this.emit(type, { id: this.id("obj"), object: "customer" })
    );
  }

  lastEvent(type: string): FakeEvent {
    const event = [...this.events].reverse().find((e) => e.type === type);
    if (!event) throw new Error(`no ${type} event`);
    return event;
  }

  periodEnd(start: number, interval: "month" | "year") {
    return this.seconds(addMonthsUtc(new Date(start * 1000), interval === "year" ? 12 : 1));
  }

  charge(sub: FakeSubscription, reason: NonNullable<FakeInvoice["billing_reason"]>, amount: number): FakeInvoice {
    const inv = invoice({
      id: this.id("in"),
      subscription: sub,
      paid: !this.declineCards,
      amount,
      reason,
    });
    this.invoices.set(inv.id, inv);
    return inv;
  }

  // --- What Stripe does on its own, driven by tests ---------------------------------------------

  /** The customer pays on the Checkout page: the subscription starts (on trial when the session offers one). */
  completeCheckout(url: string): FakeSubscription {
    const session = [...this.sessions.values()].find((s) => s.url === url);
    if (session?.status !== "open") throw new Error(`no open session at ${url}`);
    const now = this.seconds();
    const p = this.prices.get(session.price)!;
    const trialEnd = session.trial_period_days ? now + session.trial_period_days * 86_400 : null;
    const id = this.id("sub");
    const end = trialEnd ?? this.periodEnd(now, p.recurring.interval as "month" | "year");
    const sub = subscription({
      id,
      customer: session.customer as string,
      status: trialEnd ? "trialing" : "active",
      created: now,
      anchor: trialEnd ?? now,
      trialEnd,
      metadata: session.subscription_metadata,
      item: {
        id: this.id("si"),
        object: "subscription_item",
        quantity: 1,
        created: now,
        metadata: {},
        subscription: id,
        current_period_start: now,
        current_period_end: end,
        price: p,
      },
    });
    this.subscriptions.set(id, sub);
    Object.assign(session, { status: "complete", subscription: id });
    this.emit("customer.subscription.created", sub);
    this.emit("checkout.session.completed", session);
    this.emit("invoice.paid", this.charge(sub, "subscription_create", trialEnd ? 0 : p.unit_amount!));
    return sub;
  }

  /** The period ends and Stripe charges the next one: paid (invoice.paid) or declined (past_due). */
  renew(subscriptionId: string): FakeInvoice {
    const sub = this.subscriptions.get(subscriptionId)!;
    const item = sub.items.data[0]!;
    const start = item.current_period_end;
    const inv = (() => {
      item.current_period_start = start;
      item.current_period_end = this.periodEnd(start, item.price.recurring.interval as "month" | "year");
      return this.charge(sub, "subscription_cycle", item.price.unit_amount!);
    })();
    sub.status = inv.status === "paid" ? "active" : "past_due";
    this.emit("customer.subscription.updated", sub);
    this.emit(inv.status === "paid" ? "invoice.paid" : "invoice.payment_failed", inv);
    return inv;
  }

  /** Stripe retries the open invoice of a past_due subscription and the card now pays. */
  retryPayment(subscriptionId: string) {
    const sub = this.subscriptions.get(subscriptionId)!;
    const open = [...this.invoices.values()]
      .reverse()
      .find((i) => i.status === "open" && i.parent?.subscription_details?.subscription === sub.id)!;
    Object.assign(open, { status: "paid", amount_paid: open.amount_due });
    sub.status = "active";
    this.emit("customer.subscription.updated", sub);
    this.emit("invoice.paid", open);
  }

  /** Stripe's retries ran out: the subscription is canceled (or unpaid). */
  endForNonPayment(subscriptionId: string, status: "canceled" | "unpaid" = "canceled") {
    const sub = this.subscriptions.get(subscriptionId)!;
    Object.assign(sub, {
      status,
      canceled_at: this.seconds(),
      ended_at: status === "canceled" ? this.seconds() : null,
    });
    this.emit(status === "canceled" ? "customer.subscription.deleted" : "customer.subscription.updated", sub);
  }

  /** A plan change the customer makes in the billing portal (applied at once, as the portal does by default). */
  portalChangePrice(subscriptionId: string, lookupKey: string) {
    const sub = this.subscriptions.get(subscriptionId)!;
    const next = [...this.prices.values()].find((p) => p.lookup_key === lookupKey)!;
    sub.items.data[0]!.price = next;
    this.emit("customer.subscription.updated", sub);
  }

  /** A cancellation (or its undoing) made in the billing portal. */
  portalCancelAtPeriodEnd(subscriptionId: string, cancel: boolean) {
    this.setCancel(this.subscriptions.get(subscriptionId)!, cancel);
    this.emit("customer.subscription.updated", this.subscriptions.get(subscriptionId));
  }

  setCancel(sub: FakeSubscription, cancel: boolean) {
    const end = sub.items.data[0]!.current_period_end;
    Object.assign(
      sub,
      cancel
        ? {
            cancel_at_period_end: true,
            cancel_at: end,
            canceled_at: this.seconds(),
          }
        : { cancel_at_period_end: false, cancel_at: null, canceled_at: null },
    );
  }

  /** Signs an event as Stripe does (the real SDK's test helper), at the clock's time unless told. */
  async signed(event: FakeEvent, options: { secret?: string; at?: Date } = {}) {
    const payload = JSON.stringify(event);
    const header = await new Stripe("sk_test_signer").webhooks.generateTestHeaderStringAsync({
      payload,
      secret: options.secret ?? STRIPE_TEST_WEBHOOK_SECRET,
      timestamp: this.seconds(options.at),
      cryptoProvider: Stripe.createSubtleCryptoProvider(),
    });
    return {
      body: payload,
      headers: {
        "Content-Type": "application/json",
        "Stripe-Signature": header,
      },
    };
  }

  handlers() {
    return stripeApiHandlers(this);
  }
}
