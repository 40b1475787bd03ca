// The HTTP half of the Stripe fake: stripe-node's requests (form-encoded, bracketed params) routed
// onto the fake's state, with Idempotency-Key replays and Stripe's error shapes.
import { HttpResponse, http } from "msw";
import { type Params, STRIPE_TEST_BASE, type StripeFake } from "./stripe-fake.ts";
import type { FakeSchedule, FakeSession } from "./stripe-fixtures.ts";

/** Nested params from stripe-node's form encoding (items[0][price]=…). */
export function parseForm(text: string): Record<string, unknown> {
  const root: Record<string, unknown> = {};
  for (const [key, value] of new URLSearchParams(text)) {
    const path = key.replace(/\]/g, "").split("[");
    let node: Record<string, unknown> = root;
    path.forEach((part, index) => {
      if (index === path.length - 1) node[part] = value;
      else {
        node[part] ??= /^\d+$/.test(path[index + 1]!) ? [] : {};
        node = node[part] as Record<string, unknown>;
      }
    });
  }
  return root;
}

export function stripeApiHandlers(fake: StripeFake) {
  async function handle(request: Request): Promise<Response> {
    if (fake.unreachable) return HttpResponse.error();
    const url = new URL(request.url);
    const path = url.pathname.replace(/^\/v1/, "");
    const params =
      request.method === "GET" || request.method === "DELETE"
        ? parseForm(url.search.slice(1))
        : parseForm(await request.text());
    const idempotencyKey = request.headers.get("idempotency-key");
    fake.requests.push({
      method: request.method,
      path,
      params,
      idempotencyKey,
    });
    const replayKey = idempotencyKey && request.method === "POST" ? `${path} ${idempotencyKey}` : null;
    if (replayKey && fake.replays.has(replayKey)) return HttpResponse.json(fake.replays.get(replayKey) as Params);
    const answer = route(request.method, path, params);
    if (answer instanceof Response) return answer;
    const body = structuredClone(answer) as Params;
    if (replayKey) fake.replays.set(replayKey, body);
    return HttpResponse.json(body);
  }

  function list(data: unknown[], url: string) {
    return { object: "list", data, has_more: false, url };
  }

  function missing(what: string) {
    return HttpResponse.json(
      {
        error: {
          type: "invalid_request_error",
          code: "resource_missing",
          message: `No such ${what}`,
        },
      },
      { status: 404 },
    );
  }

  function route(method: string, path: string, params: Params): unknown {
    const [, resource, id, action] = path.split("/");
    if (resource === "checkout") return checkout(method, path, params);
    const key = `${method} /${resource}${id ? "/:id" : ""}${action ? `/${action}` : ""}`;
    switch (key) {
      case "GET /prices": {
        const keys = Object.values(params.lookup_keys ?? {}) as string[];
        return list(
          [...fake.prices.values()].filter((p) => keys.includes(p.lookup_key!) && p.active),
          "/v1/prices",
        );
      }
      case "POST /customers": {
        const customer = {
          id: fake.id("cus"),
          object: "customer",
          email: params.email,
          metadata: params.metadata ?? {},
        };
        fake.customers.set(customer.id, customer);
        return customer;
      }
      case "POST /billing_portal/:id":
        return {
          id: fake.id("bps"),
          object: "billing_portal.session",
          customer: params.customer,
          url: `https://billing.stripe.test/p/${params.customer}`,
          return_url: params.return_url,
        };
      case "GET /subscriptions": {
        const found = [...fake.subscriptions.values()].filter((s) => s.customer === params.customer);
        return list(found, "/v1/subscriptions");
      }
      case "GET /subscriptions/:id":
        return fake.subscriptions.get(id!) ?? missing(`subscription: '${id}'`);
      case "POST /subscriptions/:id":
        return updateSubscription(id!, params);
      case "DELETE /subscriptions/:id": {
        const sub = fake.subscriptions.get(id!);
        if (!sub) return missing(`subscription: '${id}'`);
        Object.assign(sub, {
          status: "canceled",
          canceled_at: fake.seconds(),
          ended_at: fake.seconds(),
        });
        fake.emit("customer.subscription.deleted", sub);
        return sub;
      }
      case "POST /subscription_schedules":
      case "POST /subscription_schedules/:id":
      case "POST /subscription_schedules/:id/release":
        return schedule(id, action, params);
      default:
        return HttpResponse.json(
          {
            error: {
              type: "invalid_request_error",
              message: `fake: ${key} is not faked`,
            },
          },
          { status: 400 },
        );
    }
  }

  function checkout(method: string, path: string, params: Params): unknown {
    const [, , , id, action] = path.split("/");
    if (method === "GET") {
      const found = [...fake.sessions.values()].filter(
        (s) => s.customer === params.customer && (!params.status || s.status === params.status),
      );
      return list(found, "/v1/checkout/sessions");
    }
    if (id && action === "expire") {
      const session = fake.sessions.get(id);
      if (!session) return missing(`checkout session: '${id}'`);
      session.status = "expired";
      return session;
    }
    const sessionId = fake.id("cs_test");
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
      trial_period_days: params.subscription_data?.trial_period_days
        ? Number(params.subscription_data.trial_period_days)
        : null,
      subscription_metadata: params.subscription_data?.metadata ?? {},
    };
    fake.sessions.set(sessionId, session);
    return session;
  }

  function updateSubscription(id: string, params: Params): unknown {
    const sub = fake.subscriptions.get(id);
    if (!sub) return missing(`subscription: '${id}'`);
    const item = sub.items.data[0]!;
    const newPrice = params.items?.[0]?.price as string | undefined;
    if (newPrice && newPrice !== item.price.id) {
      if (fake.declineCards && params.payment_behavior === "error_if_incomplete") {
        return HttpResponse.json(
          {
            error: {
              type: "card_error",
              code: "card_declined",
              decline_code: "insufficient_funds",
              message: "Your card has insufficient funds.",
            },
          },
          { status: 402 },
        );
      }
      const next = fake.prices.get(newPrice)!;
      const now = fake.seconds();
      if (next.recurring.interval !== item.price.recurring.interval) {
        // A new interval resets the billing cycle to now (Stripe's rule).
        Object.assign(item, {
          current_period_start: now,
          current_period_end: fake.periodEnd(now, next.recurring.interval as "month" | "year"),
        });
        sub.billing_cycle_anchor = now;
      }
      const prorated = Math.max(0, next.unit_amount! - item.price.unit_amount!);
      item.price = next;
      fake.emit("invoice.paid", fake.charge(sub, "subscription_update", prorated));
    }
    if (params.cancel_at_period_end !== undefined) fake.setCancel(sub, params.cancel_at_period_end === "true");
    fake.emit("customer.subscription.updated", sub);
    return sub;
  }

  function schedule(id: string | undefined, action: string | undefined, params: Params): unknown {
    if (!id) {
      const sub = fake.subscriptions.get(params.from_subscription);
      if (!sub) return missing("subscription");
      const item = sub.items.data[0]!;
      const schedule: FakeSchedule = {
        id: fake.id("sub_sched"),
        object: "subscription_schedule",
        status: "active",
        end_behavior: "release",
        livemode: false,
        subscription: sub.id,
        phases: [
          {
            start_date: item.current_period_start,
            end_date: item.current_period_end,
            items: [{ price: item.price.id }],
          },
        ],
      };
      fake.schedules.set(schedule.id, schedule);
      sub.schedule = schedule.id;
      return schedule;
    }
    const schedule = fake.schedules.get(id);
    if (!schedule) return missing(`subscription schedule: '${id}'`);
    if (action === "release") {
      schedule.status = "released";
      fake.subscriptions.get(schedule.subscription)!.schedule = null;
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

  return [http.all(`${STRIPE_TEST_BASE}/v1/*`, ({ request }) => handle(request))];
}
