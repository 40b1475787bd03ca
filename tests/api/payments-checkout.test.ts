import { sql } from "drizzle-orm";
import { decodeJwt } from "jose";
import { describe, expect, it } from "vitest";
import { queryRows } from "../../db/client/types.ts";
import { expectRefusal } from "../support/api-checks.ts";
import { snapshot } from "../support/fixtures.ts";
import { setupStripeTestApp } from "../support/stripe-test.ts";
import { currentState, historyOf, tierClaims } from "../support/subscription-state.ts";
import { TEST_PASSWORD } from "../support/test-app.ts";

const app = setupStripeTestApp();
const CHECKOUT = "/api/user/subscription/checkout";

const checkout = (token: string, tier = "business", cycle = "monthly") =>
  app().request("POST", CHECKOUT, { token, json: { tier_slug: tier, billing_cycle: cycle } });

describe("checkout from the free tier", () => {
  it("creates the customer once, opens a subscription Checkout Session carrying the user, and reuses it", async () => {
    const t = app();
    const { token, user } = await t.signup();
    const res = await checkout(token);
    expect(res.status).toBe(200);
    const { url } = await res.json();
    expect(url).toMatch(/^https:\/\/checkout\.stripe\.test\//);

    const { user: row } = await currentState(t.db, user.id);
    expect(row?.stripeCustomerId).toMatch(/^cus_/);
    const created = t.stripe.requests.find((r) => r.method === "POST" && r.path === "/checkout/sessions")!;
    expect(created.params).toMatchObject({
      mode: "subscription",
      customer: row?.stripeCustomerId,
      client_reference_id: user.id,
      metadata: { user_id: user.id, tier_slug: "business", billing_cycle: "monthly" },
      line_items: [{ price: "price_business_monthly", quantity: "1" }],
    });
    expect(created.idempotencyKey).toContain(user.id);
    expect(t.stripe.requests.find((r) => r.path === "/customers")?.idempotencyKey).toBe(`tierkit-customer-${user.id}`);

    // Two checkouts for one user: the open session is handed out again, no second customer or session.
    t.clock.advance({ minutes: 5 });
    expect((await (await checkout(token)).json()).url).toBe(url);
    expect(t.stripe.customers.size).toBe(1);
    expect(t.stripe.sessions.size).toBe(1);
    // Another plan expires the open session, so at most one can be paid.
    const annual = await (await checkout(token, "business", "annual")).json();
    expect(annual.url).not.toBe(url);
    expect([...t.stripe.sessions.values()].map((s) => s.status).sort()).toEqual(["expired", "open"]);
  });

  it("offers Pro's 14-day trial once per customer: trialing in the profile and the token", async () => {
    const t = app();
    const { token, user } = await t.signup();
    const { subscriptionId, token: fresh } = await t.subscribe(token, "pro");
    const created = t.stripe.requests.find((r) => r.path === "/checkout/sessions" && r.method === "POST")!;
    expect(created.params.subscription_data).toMatchObject({ trial_period_days: "14", metadata: { user_id: user.id } });
    const { subscription } = await currentState(t.db, user.id);
    expect(subscription).toMatchObject({
      tierSlug: "pro",
      status: "trialing",
      paymentProvider: "stripe",
      paymentProviderId: subscriptionId,
    });
    expect(subscription?.currentPeriodEnd?.toISOString()).toBe(
      new Date(t.clock.now().getTime() + 14 * 86_400_000).toISOString(),
    );
    expect(tierClaims(fresh)).toEqual({ tier_slug: "pro", tier_level: 2, subscription_status: "trialing" });
    expect(decodeJwt(fresh).trial_ends_at).toBe(subscription?.currentPeriodEnd?.toISOString());
    // A token issued later (a sign-in) carries it too, read from the database.
    const login = await t.request("POST", "/api/auth/login", {
      json: { email: user.email, password: TEST_PASSWORD },
      headers: { "cf-connecting-ip": "10.200.0.1" },
    });
    expect(decodeJwt((await login.json()).token).trial_ends_at).toBe(subscription?.currentPeriodEnd?.toISOString());
    const overview = await (await t.request("GET", "/api/user/subscription", { token: fresh })).json();
    expect(overview.subscription).toMatchObject({
      status: "trialing",
      trial_ends_at: subscription?.currentPeriodEnd?.toISOString(),
    });
    expect(overview.payment_provider).toBe("stripe");

    // The trial ends without a card on file: Stripe cancels; the same customer gets no second trial.
    t.stripe.endForNonPayment(subscriptionId);
    expect((await t.deliver(t.stripe.lastEvent("customer.subscription.deleted"))).status).toBe(200);
    expect((await currentState(t.db, user.id)).subscription).toMatchObject({ tierSlug: "member", status: "active" });
    await checkout(fresh, "pro");
    const second = t.stripe.requests.filter((r) => r.path === "/checkout/sessions" && r.method === "POST")[1]!;
    expect(second.params.subscription_data).not.toHaveProperty("trial_period_days");
  });

  it("answers upgrade from the free tier with 409 checkout_required, and refuses checkout for a free or unknown tier", async () => {
    const t = app();
    const { token } = await t.signup();
    await expectRefusal(
      t,
      () =>
        t.request("POST", "/api/user/subscription/upgrade", {
          token,
          json: { tier_slug: "pro", billing_cycle: "monthly" },
        }),
      409,
      "checkout_required",
    );
    await expectRefusal(t, () => checkout(token, "member"), 400, "not_a_paid_tier");
    await expectRefusal(t, () => checkout(token, "platinum"), 404, "not_a_paid_tier");
    await expectRefusal(t, () => checkout(token, "pro", "weekly"), 400, "validation_error");
    expect(t.stripe.requests.filter((r) => r.method === "POST")).toEqual([]);
  });

  it("refuses a second checkout once subscribed (plan changes go through upgrade)", async () => {
    const t = app();
    const { token } = await t.signup();
    const { token: paid } = await t.subscribe(token, "business");
    await expectRefusal(t, () => checkout(paid, "elite"), 409, "already_subscribed");
  });

  it("answers 503 when Stripe is unreachable, with nothing stored", async () => {
    const t = app();
    const { token, user } = await t.signup();
    t.stripe.unreachable = true;
    const before = await snapshot(t.db);
    const res = await checkout(token);
    expect(res.status).toBe(503);
    expect((await res.json()).error.code).toBe("payment_provider_unavailable");
    expect(res.headers.get("Retry-After")).toBe("30");
    expect(await snapshot(t.db)).toBe(before);
    expect((await currentState(t.db, user.id)).user?.stripeCustomerId).toBeNull();
  });
});

describe("POST /api/webhooks/stripe", () => {
  it("applies checkout.session.completed once: a redelivery and a later sync change nothing", async () => {
    const t = app();
    const { token, user } = await t.signup();
    t.clock.advance({ minutes: 1 });
    const { url } = await (await checkout(token)).json();
    const sub = t.stripe.completeCheckout(url);
    const completed = t.stripe.lastEvent("checkout.session.completed");

    const first = await t.deliver(completed);
    expect(first.status).toBe(200);
    expect(await first.json()).toEqual({ received: true, result: "applied", changed: true });
    expect((await currentState(t.db, user.id)).subscription).toMatchObject({
      tierSlug: "business",
      status: "active",
      paymentProvider: "stripe",
      paymentProviderId: sub.id,
    });
    const again = await t.deliver(completed);
    expect(await again.json()).toEqual({ received: true, result: "duplicate", changed: false });
    // The same checkout seen through its other events and the return to the app: still one change.
    expect(await (await t.deliver(t.stripe.lastEvent("customer.subscription.created"))).json()).toMatchObject({
      changed: false,
    });
    expect(await (await t.request("POST", "/api/user/subscription/sync", { token })).json()).toMatchObject({
      changed: false,
    });

    const history = await historyOf(t.db, user.id);
    expect(history.map((h) => [h.action, h.paymentProvider, h.providerSubscriptionId])).toEqual([
      ["created", null, null],
      ["upgraded", "stripe", sub.id],
    ]);
    const [events] = await queryRows<{ n: number }>(
      t.db,
      sql`SELECT count(*)::int AS n FROM payment_events WHERE event_id = ${completed.id}`,
    );
    expect(events?.n).toBe(1);
  });

  it("applies one of two concurrent deliveries of the same event; the other changes nothing", async () => {
    const t = app();
    const { token, user } = await t.signup();
    t.clock.advance({ minutes: 1 });
    const { url } = await (await checkout(token)).json();
    t.stripe.completeCheckout(url);
    const completed = t.stripe.lastEvent("checkout.session.completed");
    const answers = await Promise.all([t.deliver(completed), t.deliver(completed)]);
    const bodies = await Promise.all(answers.map((r) => r.json()));
    expect(bodies.map((b) => b.result).sort()).toEqual(["applied", "duplicate"]);
    expect((await historyOf(t.db, user.id)).map((h) => h.action)).toEqual(["created", "upgraded"]);
  });

  it("is order-independent: an update before its creation, and an old event after a newer one, leave Stripe's state", async () => {
    const t = app();
    const { token, user } = await t.signup();
    const { url } = await (await checkout(token, "business")).json();
    const sub = t.stripe.completeCheckout(url);
    const created = t.stripe.lastEvent("customer.subscription.created");
    t.clock.advance({ days: 2 });
    t.stripe.portalCancelAtPeriodEnd(sub.id, true);
    const updated = t.stripe.lastEvent("customer.subscription.updated");

    expect((await t.deliver(updated)).status).toBe(200);
    const after = (await currentState(t.db, user.id)).subscription;
    expect(after).toMatchObject({ tierSlug: "business", status: "cancelled", paymentProviderId: sub.id });
    expect(after?.endsAt?.getTime()).toBe(sub.items.data[0]!.current_period_end * 1000);
    // The creation event arrives late: its copy says active, Stripe says cancelled; nothing changes.
    expect(await (await t.deliver(created)).json()).toMatchObject({ result: "applied", changed: false });
    expect((await currentState(t.db, user.id)).subscription).toEqual(after);
  });

  it("verifies the raw body's signature: missing, wrong, stale or tampered is 400 and changes nothing", async () => {
    const t = app();
    const { token, user } = await t.signup();
    const { url } = await (await checkout(token)).json();
    t.stripe.completeCheckout(url);
    const event = t.stripe.lastEvent("checkout.session.completed");
    const post = (body: string, headers: Record<string, string>) =>
      t.request("POST", "/api/webhooks/stripe", { body, headers });
    const signed = await t.stripe.signed(event);

    const missing = await expectRefusal(
      t,
      () => post(signed.body, { "Content-Type": "application/json" }),
      400,
      "invalid_signature",
    );
    expect(missing.error.message).toMatch(/missing/);
    const wrong = await t.stripe.signed(event, { secret: "whsec_someone_else" });
    await expectRefusal(t, () => post(wrong.body, wrong.headers), 400, "invalid_signature");
    const stale = await t.stripe.signed(event, { at: new Date(t.clock.now().getTime() - 10 * 60_000) });
    await expectRefusal(t, () => post(stale.body, stale.headers), 400, "invalid_signature");
    await expectRefusal(
      t,
      () => post(signed.body.replace("business", "family"), signed.headers),
      400,
      "invalid_signature",
    );
    await expectRefusal(
      t,
      () => post(signed.body, { ...signed.headers, "Stripe-Signature": "garbage" }),
      400,
      "invalid_signature",
    );
    expect((await currentState(t.db, user.id)).subscription?.tierSlug).toBe("member");

    const valid = await post(signed.body, signed.headers);
    expect(valid.status).toBe(200);
    expect((await currentState(t.db, user.id)).subscription?.tierSlug).toBe("business");
  });

  it("acknowledges events it does not handle and events for customers it does not know", async () => {
    const t = app();
    const stray = { ...t.stripe.lastEventOr("customer.created") };
    expect(await (await t.deliver(stray)).json()).toEqual({ received: true, result: "ignored", changed: false });
  });

  it("answers 503 while Stripe is unreachable and records nothing, so Stripe's retry applies the event", async () => {
    const t = app();
    const { token, user } = await t.signup();
    const { url } = await (await checkout(token)).json();
    t.stripe.completeCheckout(url);
    const completed = t.stripe.lastEvent("checkout.session.completed");
    t.stripe.unreachable = true;
    const before = await snapshot(t.db);
    expect((await t.deliver(completed)).status).toBe(503);
    expect(await snapshot(t.db)).toBe(before);
    t.stripe.unreachable = false;
    expect(await (await t.deliver(completed)).json()).toMatchObject({ result: "applied", changed: true });
    expect((await currentState(t.db, user.id)).subscription?.tierSlug).toBe("business");
  });
});
