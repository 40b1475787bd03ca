import { describe, expect, it } from "vitest";
import { paymentsFor } from "../../api/services/payments/index.ts";
import { runScheduledPass } from "../../api/services/scheduled-pass.ts";
import { processDue } from "../../api/services/subscriptions/index.ts";
import { checkTierLevel } from "../../api/services/tier-access.ts";
import { expectRefusal } from "../support/api-checks.ts";
import { type StripeTestApp, setupStripeTestApp } from "../support/stripe-test.ts";
import { currentState, historyOf } from "../support/subscription-state.ts";

const app = setupStripeTestApp();
const BASE = "/api/user/subscription";

async function subscribed(t: StripeTestApp, tier = "business") {
  const { token, user } = await t.signup();
  t.clock.advance({ minutes: 1 });
  const { subscriptionId, token: paid } = await t.subscribe(token, tier);
  expect(paid).toBeTruthy();
  t.clock.advance({ days: 1 });
  // A day on, the checkout's 15-minute token has expired: the user signs in again.
  return {
    user,
    token: await t.tokenFor(user.id),
    subscriptionId,
    stripeSub: () => t.stripe.subscriptions.get(subscriptionId)!,
  };
}

const actions = async (t: StripeTestApp, userId: string) => (await historyOf(t.db, userId)).map((h) => h.action);

describe("plan changes mirrored in Stripe", () => {
  it("upgrades between paid tiers in the same request: Stripe's price changes with proration, the webhooks then only reconcile", async () => {
    const t = app();
    const { user, token, subscriptionId, stripeSub } = await subscribed(t);
    const res = await t.request("POST", `${BASE}/upgrade`, {
      token,
      json: { tier_slug: "elite", billing_cycle: "monthly" },
    });
    expect(res.status).toBe(200);
    const update = t.stripe.requests.find((r) => r.method === "POST" && r.path === `/subscriptions/${subscriptionId}`)!;
    expect(update.params).toMatchObject({
      items: [{ price: "price_elite_monthly" }],
      proration_behavior: "always_invoice",
      payment_behavior: "error_if_incomplete",
    });
    expect(stripeSub().items.data[0]!.price.id).toBe("price_elite_monthly");
    const { subscription } = await currentState(t.db, user.id);
    expect(subscription).toMatchObject({ tierSlug: "elite", status: "active", paymentProviderId: subscriptionId });
    // Same interval: Stripe keeps the period, and so does tierkit.
    expect(subscription?.currentPeriodEnd?.getTime()).toBe(stripeSub().items.data[0]!.current_period_end * 1000);
    for (const event of t.stripe.events.slice(-2))
      expect(await (await t.deliver(event)).json()).toMatchObject({ changed: false });
    expect(await actions(t, user.id)).toEqual(["created", "upgraded", "upgraded"]);
  });

  it("answers a declined upgrade with 402 payment_failed and changes nothing, in tierkit or Stripe", async () => {
    const t = app();
    const { token, stripeSub } = await subscribed(t);
    t.stripe.declineCards = true;
    const body = await expectRefusal(
      t,
      () => t.request("POST", `${BASE}/upgrade`, { token, json: { tier_slug: "family", billing_cycle: "monthly" } }),
      402,
      "payment_failed",
    );
    expect(body.error.message).toBe("Your card has insufficient funds.");
    expect(stripeSub().items.data[0]!.price.id).toBe("price_business_monthly");
  });

  it("answers 503 with nothing changed when Stripe is unreachable during a change", async () => {
    const t = app();
    const { token, stripeSub } = await subscribed(t);
    t.stripe.unreachable = true;
    await expectRefusal(t, () => t.request("DELETE", `${BASE}/cancel`, { token }), 503, "payment_provider_unavailable");
    t.stripe.unreachable = false;
    expect(stripeSub().cancel_at_period_end).toBe(false);
  });

  it("schedules a downgrade at period end in Stripe, and undo releases the schedule", async () => {
    const t = app();
    const { user, token, stripeSub } = await subscribed(t, "elite");
    const res = await t.request("POST", `${BASE}/downgrade`, { token, json: { tier_slug: "pro" } });
    expect(res.status).toBe(200);
    const schedule = t.stripe.schedules.get(stripeSub().schedule as string)!;
    const end = stripeSub().items.data[0]!.current_period_end;
    expect(schedule.phases).toEqual([
      { start_date: expect.any(Number), end_date: end, items: [{ price: "price_elite_monthly" }] },
      { start_date: 0, end_date: null, items: [{ price: "price_pro_monthly" }] },
    ]);
    expect(schedule.end_behavior).toBe("release");
    expect((await currentState(t.db, user.id)).subscription).toMatchObject({
      tierSlug: "elite",
      scheduledTierSlug: "pro",
    });

    expect((await t.request("DELETE", `${BASE}/downgrade`, { token })).status).toBe(200);
    expect(schedule.status).toBe("released");
    expect(stripeSub().schedule).toBeNull();
    expect((await currentState(t.db, user.id)).subscription).toMatchObject({
      tierSlug: "elite",
      scheduledTierSlug: null,
    });

    // To the free tier the schedule ends the subscription at period end.
    await t.request("POST", `${BASE}/downgrade`, { token, json: { tier_slug: "member" } });
    const toFree = t.stripe.schedules.get(stripeSub().schedule as string)!;
    expect(toFree).toMatchObject({
      end_behavior: "cancel",
      phases: [{ end_date: end, items: [{ price: "price_elite_monthly" }] }],
    });
  });

  it("mirrors cancel and resume as cancel_at_period_end; the echoing webhooks change nothing", async () => {
    const t = app();
    const { user, token, stripeSub } = await subscribed(t);
    expect((await t.request("DELETE", `${BASE}/cancel`, { token })).status).toBe(200);
    expect(stripeSub()).toMatchObject({
      cancel_at_period_end: true,
      cancel_at: stripeSub().items.data[0]!.current_period_end,
    });
    expect(await (await t.deliver(t.stripe.lastEvent("customer.subscription.updated"))).json()).toMatchObject({
      changed: false,
    });
    expect((await currentState(t.db, user.id)).subscription).toMatchObject({ status: "cancelled" });

    t.clock.advance({ minutes: 1 });
    expect((await t.request("POST", `${BASE}/resume`, { token })).status).toBe(200);
    expect(stripeSub()).toMatchObject({ cancel_at_period_end: false, cancel_at: null });
    expect(await (await t.deliver(t.stripe.lastEvent("customer.subscription.updated"))).json()).toMatchObject({
      changed: false,
    });
    expect(await actions(t, user.id)).toEqual(["created", "upgraded", "cancelled", "resumed"]);
  });
});

describe("Stripe's own changes reach tierkit through the webhooks", () => {
  it("applies a downgrade made in the billing portal", async () => {
    const t = app();
    const { user, token, subscriptionId } = await subscribed(t, "elite");
    const portal = await t.request("POST", "/api/user/billing-portal", { token });
    expect(await portal.json()).toEqual({
      success: true,
      url: expect.stringMatching(/^https:\/\/billing\.stripe\.test\//),
    });
    t.stripe.portalChangePrice(subscriptionId, "tierkit_pro_monthly");
    expect(await (await t.deliver(t.stripe.lastEvent("customer.subscription.updated"))).json()).toMatchObject({
      changed: true,
    });
    expect((await currentState(t.db, user.id)).subscription).toMatchObject({
      tierSlug: "pro",
      paymentProviderId: subscriptionId,
    });
    const last = (await historyOf(t.db, user.id)).at(-1);
    expect(last).toMatchObject({
      action: "downgraded",
      fromTierSlug: "elite",
      toTierSlug: "pro",
      providerSubscriptionId: subscriptionId,
    });
  });

  it("renews from invoice.paid; the cron no longer renews a Stripe-billed row", async () => {
    const t = app();
    const { user, subscriptionId, stripeSub } = await subscribed(t);
    const before = (await currentState(t.db, user.id)).subscription!;
    t.clock.set(before.currentPeriodEnd!);
    t.clock.advance({ hours: 1 });
    expect((await processDue(t.db, { now: t.clock.now() })).renewed).toBe(0);
    expect((await currentState(t.db, user.id)).subscription?.currentPeriodEnd).toEqual(before.currentPeriodEnd);

    t.stripe.renew(subscriptionId);
    expect(await (await t.deliver(t.stripe.lastEvent("invoice.paid"))).json()).toMatchObject({ changed: true });
    const after = (await currentState(t.db, user.id)).subscription!;
    expect(after.id).toBe(before.id);
    expect(after.currentPeriodEnd?.getTime()).toBe(stripeSub().items.data[0]!.current_period_end * 1000);
    expect(after.currentPeriodStart).toEqual(before.currentPeriodEnd);
    expect((await historyOf(t.db, user.id)).at(-1)).toMatchObject({
      action: "renewed",
      paymentProvider: "stripe",
      providerSubscriptionId: subscriptionId,
    });
  });

  it("payment failed → past_due with grace (access kept) → grace ends: Stripe cancelled, user back on member", async () => {
    const t = app();
    const { user, subscriptionId, stripeSub } = await subscribed(t);
    const period = (await currentState(t.db, user.id)).subscription!;
    t.clock.set(period.currentPeriodEnd!);
    t.stripe.declineCards = true;
    t.stripe.renew(subscriptionId);
    expect(await (await t.deliver(t.stripe.lastEvent("invoice.payment_failed"))).json()).toMatchObject({
      changed: true,
    });
    const due = (await currentState(t.db, user.id)).subscription!;
    expect(due).toMatchObject({ tierSlug: "business", status: "past_due" });
    expect(due.graceUntil?.getTime()).toBe(t.clock.now().getTime() + 7 * 86_400_000);
    expect((await checkTierLevel(t.db, user.id, 3)).allowed).toBe(true);
    // A month on, the token from the checkout has expired.
    const fresh = await t.tokenFor(user.id);
    const overview = await (await t.request("GET", BASE, { token: fresh })).json();
    expect(overview.subscription).toMatchObject({ status: "past_due", grace_until: due.graceUntil?.toISOString() });
    // Cancelling would promise the unpaid period; the grace already bounds the access.
    await expectRefusal(t, () => t.request("DELETE", `${BASE}/cancel`, { token: fresh }), 409, "payment_past_due");
    // Stripe's later copy of the same failure keeps the first grace date.
    t.clock.advance({ days: 3 });
    await t.deliver(t.stripe.lastEvent("customer.subscription.updated"));
    expect((await currentState(t.db, user.id)).subscription?.graceUntil).toEqual(due.graceUntil);

    const payments = paymentsFor(t.deps)!;
    t.clock.advance({ days: 3 });
    expect((await runScheduledPass(t.db, { now: t.clock.now(), payments })).graceEnded).toBe(0);
    t.clock.advance({ days: 1, minutes: 1 });
    expect((await runScheduledPass(t.db, { now: t.clock.now(), payments })).graceEnded).toBe(1);
    expect(stripeSub().status).toBe("canceled");
    expect((await currentState(t.db, user.id)).subscription).toMatchObject({
      tierSlug: "member",
      status: "active",
      paymentProvider: null,
    });
    expect((await checkTierLevel(t.db, user.id, 3)).allowed).toBe(false);
    expect(await actions(t, user.id)).toEqual(["created", "upgraded", "payment_failed", "expired"]);
    // The deletion Stripe then sends changes nothing.
    expect(await (await t.deliver(t.stripe.lastEvent("customer.subscription.deleted"))).json()).toMatchObject({
      changed: false,
    });
  });

  it("a paid retry recovers past_due; Stripe's unpaid returns the user to member", async () => {
    const t = app();
    const { user, subscriptionId } = await subscribed(t);
    t.clock.set((await currentState(t.db, user.id)).subscription!.currentPeriodEnd!);
    t.stripe.declineCards = true;
    t.stripe.renew(subscriptionId);
    await t.deliver(t.stripe.lastEvent("invoice.payment_failed"));
    t.stripe.declineCards = false;
    t.clock.advance({ days: 2 });
    t.stripe.retryPayment(subscriptionId);
    await t.deliver(t.stripe.lastEvent("invoice.paid"));
    expect((await currentState(t.db, user.id)).subscription).toMatchObject({ status: "active", graceUntil: null });

    t.clock.advance({ days: 1 });
    t.stripe.endForNonPayment(subscriptionId, "unpaid");
    await t.deliver(t.stripe.lastEvent("customer.subscription.updated"));
    expect((await currentState(t.db, user.id)).subscription).toMatchObject({ tierSlug: "member" });
    expect(await actions(t, user.id)).toEqual([
      "created",
      "upgraded",
      "payment_failed",
      "payment_recovered",
      "expired",
    ]);
  });
});

describe("admin on a Stripe-billed user", () => {
  it("assigns a complimentary tier: Stripe stops renewing, its later events are ignored, MRR counts only what Stripe bills", async () => {
    const t = app();
    const admin = await t.signup(undefined, { admin: true });
    // Time passes between the calls: each takes a fresh admin token (they last 15 minutes).
    const adminToken = () => t.tokenFor(admin.user.id);
    const mrr = async () =>
      (await (await t.request("GET", "/api/admin/subscription-stats", { token: await adminToken() })).json()).stats
        .mrr_cents;
    const base = await mrr();
    const { user, subscriptionId, stripeSub } = await subscribed(t);
    const other = await subscribed(t, "pro");
    // Business (2999) active counts; Pro on trial does not.
    expect((await mrr()) - base).toBe(2999);

    const res = await t.request("POST", `/api/admin/subscriptions/${user.id}/assign-tier`, {
      token: await adminToken(),
      json: { tier_slug: "family", billing_cycle: "monthly", reason: "Partner" },
    });
    expect(res.status).toBe(200);
    expect(stripeSub()).toMatchObject({ cancel_at_period_end: true });
    expect((await currentState(t.db, user.id)).subscription).toMatchObject({
      tierSlug: "family",
      paymentProvider: null,
    });
    expect(await (await t.deliver(t.stripe.lastEvent("customer.subscription.updated"))).json()).toMatchObject({
      changed: false,
    });
    t.stripe.endForNonPayment(subscriptionId);
    expect(await (await t.deliver(t.stripe.lastEvent("customer.subscription.deleted"))).json()).toMatchObject({
      changed: false,
    });
    expect((await currentState(t.db, user.id)).subscription?.tierSlug).toBe("family");
    expect(await mrr()).toBe(base);

    const list = await (
      await t.request("GET", "/api/admin/subscriptions?limit=100", { token: await adminToken() })
    ).json();
    const row = list.data.find(
      (r: { user_id: string; status: string }) => r.user_id === other.user.id && r.status === "trialing",
    );
    expect(row).toMatchObject({ payment_provider: "stripe", payment_provider_id: other.subscriptionId });
  });
});
