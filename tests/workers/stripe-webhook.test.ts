import { createExecutionContext, waitOnExecutionContext } from "cloudflare:test";
import { env } from "cloudflare:workers";
import Stripe from "stripe";
import { describe, expect, inject, it } from "vitest";
import worker from "../../api/worker.ts";

// The webhook path in workerd: stripe-node's worker build, SubtleCrypto signatures over the raw
// body, and the event recorded in the database. Events here need no Stripe API call (an event type
// tierkit ignores, a customer it does not know); the Stripe API itself is faked with msw in the Node
// suite only (tests/api/payments-*.test.ts).
const SECRET = "whsec_workerd_test";
const stripeEnv = {
  ...env,
  PAYMENT_PROVIDER: "stripe",
  STRIPE_SECRET_KEY: "sk_test_workerd",
  STRIPE_WEBHOOK_SECRET: SECRET,
  STRIPE_API_BASE: "http://127.0.0.1:9",
  APP_URL: "https://app.tierkit.test",
};

async function post(body: string, signature?: string) {
  const headers = new Headers({ "Content-Type": "application/json" });
  if (signature) headers.set("Stripe-Signature", signature);
  const ctx = createExecutionContext();
  const response = await worker.fetch(
    new Request("https://tierkit.test/api/webhooks/stripe", { method: "POST", headers, body }),
    stripeEnv,
    ctx,
  );
  await waitOnExecutionContext(ctx);
  return { status: response.status, body: (await response.json()) as Record<string, any> };
}

const sign = (payload: string, secret = SECRET) =>
  new Stripe("sk_test_signer").webhooks.generateTestHeaderStringAsync({
    payload,
    secret,
    cryptoProvider: Stripe.createSubtleCryptoProvider(),
  });

describe.skipIf(!inject("workerDatabaseUrl"))("POST /api/webhooks/stripe inside workerd", () => {
  it("verifies signatures with SubtleCrypto and records an event once", async () => {
    const event = JSON.stringify({
      id: `evt_workerd_${Date.now()}`,
      object: "event",
      type: "invoice.paid",
      created: Math.floor(Date.now() / 1000),
      data: { object: { id: "in_1", object: "invoice", customer: "cus_nobody_knows" } },
    });
    expect(await post(event)).toMatchObject({ status: 400, body: { error: { code: "invalid_signature" } } });
    expect(await post(event, await sign(event, "whsec_wrong"))).toMatchObject({ status: 400 });
    const signature = await sign(event);
    expect(await post(event, signature)).toEqual({
      status: 200,
      body: { received: true, result: "no_user", changed: false },
    });
    expect(await post(event, signature)).toEqual({
      status: 200,
      body: { received: true, result: "duplicate", changed: false },
    });
    const ignored = JSON.stringify({
      id: "evt_workerd_other",
      object: "event",
      type: "customer.created",
      data: { object: {} },
    });
    expect((await post(ignored, await sign(ignored))).body).toMatchObject({ result: "ignored" });
  });
});
