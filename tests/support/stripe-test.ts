import type { RequestHandler } from "msw";
import { setupServer } from "msw/node";
import { afterAll, afterEach, beforeAll, beforeEach } from "vitest";
import type { PaymentSettings } from "../../api/services/payments/index.ts";
import { type FakeEvent, STRIPE_TEST_BASE, STRIPE_TEST_WEBHOOK_SECRET, StripeFake } from "./stripe-fake.ts";
import { createTestApp, type TestApp } from "./test-app.ts";

/**
 * Nothing may reach a network except this machine: under `npm run test:contract` the app is
 * served over HTTP on loopback (through Prism), and those requests are the test's own.
 */
function refuseAllButLoopback(request: Request, print: { error(): void }) {
  const { hostname } = new URL(request.url);
  if (hostname === "127.0.0.1" || hostname === "localhost" || hostname === "[::1]") return;
  print.error();
  throw new Error(`Unhandled request to ${request.url}: no network in tests.`);
}

export const STRIPE_TEST_SETTINGS: PaymentSettings = {
  provider: "stripe",
  secretKey: "sk_test_tierkit",
  webhookSecret: STRIPE_TEST_WEBHOOK_SECRET,
  apiBase: STRIPE_TEST_BASE,
  graceDays: 7,
  appUrl: "http://localhost:5173",
  maxNetworkRetries: 0,
};

export interface StripeTestApp extends TestApp {
  stripe: StripeFake;
  /** Posts the event to the webhook endpoint, signed (or as `sign` says). */
  deliver(event: FakeEvent, sign?: { secret?: string; at?: Date }): Promise<Response>;
  /** Checkout for a user on the free tier, completed at Stripe, then the return to the app (sync). */
  subscribe(
    token: string,
    tierSlug: string,
    cycle?: "monthly" | "annual",
  ): Promise<{ subscriptionId: string; token: string }>;
}

/**
 * One app with Stripe on per test file, its Stripe API intercepted by msw in front of a fresh
 * stateful fake for each test (the app and its database are shared, as in the other suites).
 */
export function setupStripeTestApp(
  options: { handlers?: (app: TestApp) => RequestHandler[]; start?: Date } = {},
): () => StripeTestApp {
  let app: TestApp;
  const server = setupServer();
  beforeAll(async () => {
    // First: stripe-node's fetch client takes the global fetch when the app builds it.
    server.listen({ onUnhandledRequest: refuseAllButLoopback });
    app = await createTestApp({ start: options.start, payments: { ...STRIPE_TEST_SETTINGS } });
  });
  afterEach(() => server.resetHandlers());
  afterAll(async () => {
    server.close();
    await app.close();
  });
  let current: StripeTestApp;
  beforeEach(() => {
    const stripe = new StripeFake(app.clock);
    server.use(...stripe.handlers(), ...(options.handlers?.(app) ?? []));
    const deliver: StripeTestApp["deliver"] = async (event, sign) => {
      const { body, headers } = await stripe.signed(event, sign);
      return app.request("POST", "/api/webhooks/stripe", { body, headers });
    };
    const subscribe: StripeTestApp["subscribe"] = async (token, tierSlug, cycle = "monthly") => {
      const res = await app.request("POST", "/api/user/subscription/checkout", {
        token,
        json: { tier_slug: tierSlug, billing_cycle: cycle },
      });
      if (res.status !== 200) throw new Error(`checkout failed: ${res.status} ${await res.text()}`);
      const { url } = (await res.json()) as { url: string };
      // A minute on, so the history's order does not hang on equal timestamps.
      app.clock.advance({ minutes: 1 });
      const sub = stripe.completeCheckout(url);
      const synced = await app.request("POST", "/api/user/subscription/sync", { token });
      if (synced.status !== 200) throw new Error(`sync failed: ${synced.status} ${await synced.text()}`);
      return { subscriptionId: sub.id, token: ((await synced.json()) as { token: string }).token };
    };
    current = { ...app, stripe, deliver, subscribe };
  });
  return () => current;
}
