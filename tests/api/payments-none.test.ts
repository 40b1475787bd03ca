import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { NO_PROVIDER_MESSAGE, paymentSettingsFromEnv } from "../../api/services/payments/index.ts";
import { expectRefusal } from "../support/api-checks.ts";
import { currentState } from "../support/subscription-state.ts";
import { createTestApp, type TestApp } from "../support/test-app.ts";

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(() => t.close());

describe("no payment provider configured (the default)", () => {
  it("keeps today's behaviour: upgrades apply at once, and the API says no provider is configured", async () => {
    const { token, user } = await t.signup();
    const overview = await (await t.request("GET", "/api/user/subscription", { token })).json();
    expect(overview.payment_provider).toBeNull();
    const res = await t.request("POST", "/api/user/subscription/upgrade", {
      token,
      json: { tier_slug: "pro", billing_cycle: "monthly" },
    });
    expect(res.status).toBe(200);
    expect((await currentState(t.db, user.id)).subscription).toMatchObject({
      tierSlug: "pro",
      status: "active",
      paymentProvider: null,
    });
  });

  it("refuses the payment endpoints with the reason, and has no webhook endpoint", async () => {
    const { token } = await t.signup();
    for (const [method, path, json] of [
      ["POST", "/api/user/subscription/checkout", { tier_slug: "pro", billing_cycle: "monthly" }],
      ["POST", "/api/user/subscription/sync", undefined],
      ["POST", "/api/user/billing-portal", undefined],
    ] as const) {
      const body = await expectRefusal(
        t,
        () => t.request(method, path, { token, json }),
        409,
        "payments_not_configured",
      );
      expect(body.error.message).toBe(NO_PROVIDER_MESSAGE);
    }
    await expectRefusal(
      t,
      () => t.request("POST", "/api/webhooks/stripe", { json: {} }),
      404,
      "payments_not_configured",
    );
    await expectRefusal(
      t,
      () => t.request("POST", "/api/user/subscription/checkout", { json: {} }),
      401,
      "unauthorized",
    );
  });
});

describe("paymentSettingsFromEnv", () => {
  it("is off unless PAYMENT_PROVIDER=stripe, and refuses a half configuration", () => {
    expect(paymentSettingsFromEnv({}, "http://localhost:3000")).toBeUndefined();
    expect(paymentSettingsFromEnv({ PAYMENT_PROVIDER: "none" })).toBeUndefined();
    expect(() => paymentSettingsFromEnv({ PAYMENT_PROVIDER: "paypal" })).toThrow(/"stripe" or "none"/);
    expect(() => paymentSettingsFromEnv({ PAYMENT_PROVIDER: "stripe", STRIPE_SECRET_KEY: "sk" }, "http://x")).toThrow(
      /STRIPE_WEBHOOK_SECRET/,
    );
    const stripe = { PAYMENT_PROVIDER: "stripe", STRIPE_SECRET_KEY: "sk", STRIPE_WEBHOOK_SECRET: "whsec" };
    expect(() => paymentSettingsFromEnv(stripe)).toThrow(/APP_URL/);
    expect(() => paymentSettingsFromEnv({ ...stripe, GRACE_DAYS: "a week" }, "http://x")).toThrow(/GRACE_DAYS/);
    expect(
      paymentSettingsFromEnv({ ...stripe, STRIPE_API_BASE: "http://127.0.0.1:12111" }, "http://localhost:3000"),
    ).toEqual({
      provider: "stripe",
      secretKey: "sk",
      webhookSecret: "whsec",
      apiBase: "http://127.0.0.1:12111",
      graceDays: 7,
      appUrl: "http://localhost:3000",
    });
  });
});
