import { http } from "msw";
import { describe, expect, it } from "vitest";
import { action as billingAction } from "../../web/app/routes/profile.billing.tsx";
import { loader as profileLoader } from "../../web/app/routes/profile.tsx";
import { action as upgradeAction } from "../../web/app/routes/profile.upgrade.tsx";
import { type StripeTestApp, setupStripeTestApp } from "../support/stripe-test.ts";
import { tierClaims } from "../support/subscription-state.ts";
import { API_URL, afterResponse, get, post, run, sessionCookie } from "./kit.ts";

// The web app against the real API with Stripe on; msw serves both the API and the Stripe fake.
// The web app reads the real clock to decide when to refresh, so the API starts at real time too.
const app = setupStripeTestApp({
  start: new Date(),
  handlers: (t) => [http.all(`${API_URL}/*`, ({ request }) => t.app.fetch(request))],
});

/** A fresh member and the Cookie header of their signed-in web session. */
async function signedUpMember(t: StripeTestApp): Promise<string> {
  const { token, user } = await t.signup();
  return sessionCookie(token, {
    id: user.id,
    email: user.email,
    display_name: user.display_name,
    is_admin: false,
  });
}

describe("paying through the web app", () => {
  it("sends a member to Stripe Checkout, syncs on the return, and opens the billing portal", async () => {
    const t = app();
    const cookie = await signedUpMember(t);

    const toCheckout = await run(
      upgradeAction,
      post("/profile/upgrade", { tier_slug: "business", billing_cycle: "monthly", checkout: "stripe" }, cookie),
    );
    expect(toCheckout.status).toBe(302);
    const url = toCheckout.headers.get("Location") as string;
    expect(url).toMatch(/^https:\/\/checkout\.stripe\.test\//);
    t.clock.advance({ minutes: 1 });
    t.stripe.completeCheckout(url);

    const back = await run(profileLoader, get("/profile?checkout=success", cookie));
    expect(back.status).toBe(302);
    expect(back.headers.get("Location")).toBe("/profile");
    const session = await afterResponse(back);
    expect(session.toast).toEqual({ kind: "success", message: "Payment received: your new plan is active." });
    expect(tierClaims(session.token as string)).toMatchObject({ tier_slug: "business", subscription_status: "active" });

    const portal = await run(billingAction, post("/profile/billing", {}, session.cookie));
    expect(portal.headers.get("Location")).toMatch(/^https:\/\/billing\.stripe\.test\//);
  });

  it("turns a refused checkout into a flash message on the upgrade dialog", async () => {
    const t = app();
    const cookie = await signedUpMember(t);
    t.stripe.unreachable = true;
    const res = await run(
      upgradeAction,
      post("/profile/upgrade", { tier_slug: "pro", billing_cycle: "monthly", checkout: "stripe" }, cookie),
    );
    // Back to the dialog with the choice kept, the message shown inside it.
    expect(res.headers.get("Location")).toBe("/profile/upgrade?tier=pro&cycle=monthly");
    expect((await afterResponse(res)).toast).toEqual({
      kind: "error",
      message: "Stripe cannot be reached right now; nothing was changed.",
      placement: "dialog",
    });
  });
});
