// A stateful stand-in for the Stripe API behind msw: customers, prices, Checkout Sessions,
// subscriptions, schedules, invoices and the events they cause. The real stripe-node talks to it
// at STRIPE_API_BASE; tests drive what Stripe would do on its own (a completed checkout, a renewal,
// a declined card, a portal change) and deliver the resulting events signed, as Stripe would.
import { http, HttpResponse } from "msw";
import Stripe from "stripe";
import { addMonthsUtc } from "../../api/services/subscriptions/period.ts";
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

export type FakeEvent = Pick<Stripe.Event, "id" | "object" | "type" | "created" | "livemode" | "pending_webhooks" | "api_version"> & {
  data: { object: unknown };
};

const CATALOG: [string, number, number][] = [
  ["pro", 999, 9990],
  ["business", 2999, 29990],
  ["elite", 4999, 49990],
  ["family", 7999, 79990],
];

/** Nested params from stripe-node's form encoding (items[0][price]=…). */
export function parseForm(text: string): Record<string, unknown> {
  const root: Record<string, unknown> = {};
  for (const [key, value] of new URLSearchParams(text)) {
    const path = key.replace(/\]/g, "").split("[");
    let node: Record<string, unknown> = root;
    path.forEach((part, index) => {
      if (index === path.length - 1) node[part] = value;
      else node = (node[part] ??= /^\d+$/.test(path[index + 1]!) ? [] : {}) as Record<string, unknown>;
    });
  }
  return root;
}

type Params = Record<string, any>;

let instances = 0;

export class StripeFake {
  readonly customers = new Map<string, { id: string; email: string; metadata: Record<string, string> }>();
  readonly prices = new Map<string, FakePrice>();
  readonly sessions = new Map<string, FakeSession>();
  readonly subscriptions = new Map<string, FakeSubscription>();
  readonly schedules = new Map<string, FakeSchedule>();
  readonly invoices = new Map<string, FakeInvoice>();
  /** Every request as received: method, path and params. */
  readonly requests: { method: string; path: string; params: Params; idempotencyKey: string | null }[] = [];
  /** Events Stripe would have sent, oldest first; tests deliver them (in any order). */
  readonly events: FakeEvent[] = [];
  /** While set, every request fails to connect. */
  unreachable = false;
  /** While set, charging the card fails (card_declined). */
  declineCards = false;
  private sequence = 0;
  private readonly replays = new Map<string, unknown>();

  constructor(private readonly clock: { now(): Date }) {
    for (const [slug, monthly, annual] of CATALOG) {
      this.prices.set(`price_${slug}_monthly`, price(`price_${slug}_monthly`, `tierkit_${slug}_monthly`, monthly, "month"));
      this.prices.set(`price_${slug}_annual`, price(`price_${slug}_annual`, `tierkit_${slug}_annual`, annual, "year"));
    }
  }

  // Ids stay unique across the fakes of one test file, which share one database.
  private readonly tag = (++instances).toString(36);

  private id(prefix: string) {
    this.sequence += 1;
    return `${prefix}_${this.tag}x${this.sequence.toString().padStart(6, "0")}`;
  }

  private seconds(date = this.clock.now()) {
    return Math.floor(date.getTime() / 1000);
  }

  private emit(type: string, object: unknown): FakeEvent {
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
    return [...this.events].reverse().find((e) => e.type === type) ?? this.emit(type, { id: this.id("obj"), object: "customer" });
  }

  lastEvent(type: string): FakeEvent {
    const event = [...this.events].reverse().find((e) => e.type === type);
    if (!event) throw new Error(`no ${type} event`);
    return event;
  }

  private periodEnd(start: number, interval: "month" | "year") {
    return this.seconds(addMonthsUtc(new Date(start * 1000), interval === "year" ? 12 : 1));
  }

  private charge(sub: FakeSubscription, reason: NonNullable<FakeInvoice["billing_reason"]>, amount: number): FakeInvoice {
    const inv = invoice({ id: this.id("in"), subscription: sub, paid: !this.declineCards, amount, reason });
    this.invoices.set(inv.id, inv);
    return inv;
  }

  // --- What Stripe does on its own, driven by tests ---------------------------------------------

  /** The customer pays on the Checkout page: the subscription starts (on trial when the session offers one). */
  completeCheckout(url: string): FakeSubscription {
    const session = [...this.sessions.values()].find((s) => s.url === url);
    if (!session || session.status !== "open") throw new Error(`no open session at ${url}`);
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
    const open = [...this.invoices.values()].reverse().find((i) => i.status === "open" && i.parent?.subscription_details?.subscription === sub.id)!;
    Object.assign(open, { status: "paid", amount_paid: open.amount_due });
    sub.status = "active";
    this.emit("customer.subscription.updated", sub);
    this.emit("invoice.paid", open);
  }

  /** Stripe's retries ran out: the subscription is canceled (or unpaid). */
  endForNonPayment(subscriptionId: string, status: "canceled" | "unpaid" = "canceled") {
    const sub = this.subscriptions.get(subscriptionId)!;
    Object.assign(sub, { status, canceled_at: this.seconds(), ended_at: status === "canceled" ? this.seconds() : null });
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

  private setCancel(sub: FakeSubscription, cancel: boolean) {
    const end = sub.items.data[0]!.current_period_end;
    Object.assign(sub, cancel
      ? { cancel_at_period_end: true, cancel_at: end, canceled_at: this.seconds() }
      : { cancel_at_period_end: false, cancel_at: null, canceled_at: null });
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
    return { body: payload, headers: { "Content-Type": "application/json", "Stripe-Signature": header } };
  }

  handlers() {
    return [http.all(`${STRIPE_TEST_BASE}/v1/*`, async ({ request }) => this.handle(request))];
  }

  // --- The API --------------------------------------------------------------------------------

  private async handle(request: Request): Promise<Response> {
    if (this.unreachable) return HttpResponse.error();
    const url = new URL(request.url);
    const path = url.pathname.replace(/^\/v1/, "");
    const params = request.method === "GET" || request.method === "DELETE" ? parseForm(url.search.slice(1)) : parseForm(await request.text());
    const idempotencyKey = request.headers.get("idempotency-key");
    this.requests.push({ method: request.method, path, params, idempotencyKey });
    const replayKey = idempotencyKey && request.method === "POST" ? `${path} ${idempotencyKey}` : null;
    if (replayKey && this.replays.has(replayKey)) return HttpResponse.json(this.replays.get(replayKey) as Params);
    const answer = this.route(request.method, path, params);
    if (answer instanceof Response) return answer;
    const body = structuredClone(answer) as Params;
    if (replayKey) this.replays.set(replayKey, body);
    return HttpResponse.json(body);
  }

  private list(data: unknown[], url: string) {
    return { object: "list", data, has_more: false, url };
  }

  private missing(what: string) {
    return HttpResponse.json(
      { error: { type: "invalid_request_error", code: "resource_missing", message: `No such ${what}` } },
      { status: 404 },
    );
  }

  private route(method: string, path: string, params: Params): unknown {
    const [, resource, id, action] = path.split("/");
    if (resource === "checkout") return this.checkout(method, path, params);
    const key = `${method} /${resource}${id ? "/:id" : ""}${action ? `/${action}` : ""}`;
    switch (key) {
      case "GET /prices": {
        const keys = Object.values(params.lookup_keys ?? {}) as string[];
        return this.list([...this.prices.values()].filter((p) => keys.includes(p.lookup_key!) && p.active), "/v1/prices");
      }
      case "POST /customers": {
        const customer = { id: this.id("cus"), object: "customer", email: params.email, metadata: params.metadata ?? {} };
        this.customers.set(customer.id, customer);
        return customer;
      }
      case "POST /billing_portal/:id":
        return { id: this.id("bps"), object: "billing_portal.session", customer: params.customer, url: `https://billing.stripe.test/p/${params.customer}`, return_url: params.return_url };
      case "GET /subscriptions": {
        const found = [...this.subscriptions.values()].filter((s) => s.customer === params.customer);
        return this.list(found, "/v1/subscriptions");
      }
      case "GET /subscriptions/:id":
        return this.subscriptions.get(id!) ?? this.missing(`subscription: '${id}'`);
      case "POST /subscriptions/:id":
        return this.updateSubscription(id!, params);
      case "DELETE /subscriptions/:id": {
        const sub = this.subscriptions.get(id!);
        if (!sub) return this.missing(`subscription: '${id}'`);
        Object.assign(sub, { status: "canceled", canceled_at: this.seconds(), ended_at: this.seconds() });
        this.emit("customer.subscription.deleted", sub);
        return sub;
      }
      case "POST /subscription_schedules":
      case "POST /subscription_schedules/:id":
      case "POST /subscription_schedules/:id/release":
        return this.schedule(id, action, params);
      default:
        return HttpResponse.json({ error: { type: "invalid_request_error", message: `fake: ${key} is not faked` } }, { status: 400 });
    }
  }

  private checkout(method: string, path: string, params: Params): unknown {
    const [, , , id, action] = path.split("/");
    if (method === "GET") {
      const found = [...this.sessions.values()].filter((s) => s.customer === params.customer && (!params.status || s.status === params.status));
      return this.list(found, "/v1/checkout/sessions");
    }
    if (id && action === "expire") {
      const session = this.sessions.get(id);
      if (!session) return this.missing(`checkout session: '${id}'`);
      session.status = "expired";
      return session;
    }
    const sessionId = this.id("cs_test");
    const session: FakeSession = {
      id: sessionId,
      object: "checkout.session",
      mode: params.mode,
      status: "open",
      url: `https://checkout.stripe.test/c/pay/${sessionId}`,
      customer: params.customer,
      client_reference_id: params.client_reference_id ?? null,
      metadata: params.metadata ?? {},
      subscription: null,
      success_url: params.success_url,
      livemode: false,
      price: params.line_items[0].price,
      trial_period_days: params.subscription_data?.trial_period_days ? Number(params.subscription_data.trial_period_days) : null,
      subscription_metadata: params.subscription_data?.metadata ?? {},
    };
    this.sessions.set(sessionId, session);
    return session;
  }

  private updateSubscription(id: string, params: Params): unknown {
    const sub = this.subscriptions.get(id);
    if (!sub) return this.missing(`subscription: '${id}'`);
    const item = sub.items.data[0]!;
    const newPrice = params.items?.[0]?.price as string | undefined;
    if (newPrice && newPrice !== item.price.id) {
      if (this.declineCards && params.payment_behavior === "error_if_incomplete") {
        return HttpResponse.json(
          { error: { type: "card_error", code: "card_declined", decline_code: "insufficient_funds", message: "Your card has insufficient funds." } },
          { status: 402 },
        );
      }
      const next = this.prices.get(newPrice)!;
      const now = this.seconds();
      if (next.recurring.interval !== item.price.recurring.interval) {
        // A new interval resets the billing cycle to now (Stripe's rule).
        Object.assign(item, { current_period_start: now, current_period_end: this.periodEnd(now, next.recurring.interval as "month" | "year") });
        sub.billing_cycle_anchor = now;
      }
      const prorated = Math.max(0, next.unit_amount! - item.price.unit_amount!);
      item.price = next;
      this.emit("invoice.paid", this.charge(sub, "subscription_update", prorated));
    }
    if (params.cancel_at_period_end !== undefined) this.setCancel(sub, params.cancel_at_period_end === "true");
    this.emit("customer.subscription.updated", sub);
    return sub;
  }

  private schedule(id: string | undefined, action: string | undefined, params: Params): unknown {
    if (!id) {
      const sub = this.subscriptions.get(params.from_subscription);
      if (!sub) return this.missing("subscription");
      const item = sub.items.data[0]!;
      const schedule: FakeSchedule = {
        id: this.id("sub_sched"),
        object: "subscription_schedule",
        status: "active",
        end_behavior: "release",
        livemode: false,
        subscription: sub.id,
        phases: [{ start_date: item.current_period_start, end_date: item.current_period_end, items: [{ price: item.price.id }] }],
      };
      this.schedules.set(schedule.id, schedule);
      sub.schedule = schedule.id;
      return schedule;
    }
    const schedule = this.schedules.get(id);
    if (!schedule) return this.missing(`subscription schedule: '${id}'`);
    if (action === "release") {
      schedule.status = "released";
      this.subscriptions.get(schedule.subscription)!.schedule = null;
      return schedule;
    }
    schedule.end_behavior = params.end_behavior ?? schedule.end_behavior;
    schedule.phases = (params.phases as Params[]).map((phase) => ({
      start_date: Number(phase.start_date ?? 0),
      end_date: phase.end_date ? Number(phase.end_date) : null,
      items: (phase.items as Params[]).map((i) => ({ price: i.price })),
    }));
    return schedule;
  }
}
