import { describe, expect, it } from "vitest";
import { startupBanner } from "../../api/server/banner.ts";
import type { ApiServerOptions } from "../../api/server/start-api-server.ts";

const base: ApiServerOptions = {
  port: 8787,
  tokens: { signingKeys: [], accessTokenTtlSeconds: 900 },
  accounts: { admin: { email: "admin@tierkit.local", password: "tierkit-admin" }, demoMember: true },
};
const stripe = {
  provider: "stripe" as const,
  secretKey: "sk_test_123",
  webhookSecret: "whsec_123",
  graceDays: 7,
  appUrl: "http://localhost:3000",
};
const paymentsLine = (options: ApiServerOptions) =>
  startupBanner(options, { api: "http://localhost:8787" })
    .split("\n")
    .find((line) => line.trimStart().startsWith("Payments"));

// `npm start` works offline without a payment provider, and says so where it prints how to sign in.
describe("the start-up banner", () => {
  it("says that plan changes apply without payment when no provider is configured", () => {
    expect(paymentsLine(base)).toBe(
      "  Payments  none: plan changes apply without payment (set PAYMENT_PROVIDER=stripe to take payments)",
    );
  });

  it("names Stripe, its mode and where the SDK is pointed when it is on", () => {
    expect(paymentsLine({ ...base, payments: stripe })).toBe("  Payments  Stripe, test mode");
    expect(paymentsLine({ ...base, payments: { ...stripe, secretKey: "sk_live_9" } })).toBe(
      "  Payments  Stripe, live mode",
    );
    expect(paymentsLine({ ...base, payments: { ...stripe, apiBase: "http://127.0.0.1:12111" } })).toBe(
      "  Payments  Stripe, test mode, at http://127.0.0.1:12111",
    );
  });
});
