import { HttpResponse, http } from "msw";
import { setupServer } from "msw/node";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import {
  action as adminSubscriptionsAction,
  loader as adminSubscriptionsLoader,
} from "../../web/app/routes/admin.subscriptions.tsx";
import { action as loginAction } from "../../web/app/routes/login.tsx";
import { loader as pricingLoader } from "../../web/app/routes/pricing.tsx";
import { action as manageAction } from "../../web/app/routes/profile.manage.tsx";
import { action as profileAction, loader as profileLoader } from "../../web/app/routes/profile.tsx";
import { action as upgradeAction } from "../../web/app/routes/profile.upgrade.tsx";
import { API_URL, admin, afterResponse, apiError, failing, get, member, post, run, sessionCookie } from "./kit.ts";

// No default handlers: any API call a test did not expect fails the test.
const server = setupServer();
beforeAll(() => server.listen({ onUnhandledRequest: "error" }));
afterEach(() => server.resetHandlers());
afterAll(() => server.close());

describe("loaders turn API failures into pages", () => {
  it("sends an anonymous visitor to log in and back", async () => {
    const res = await run(profileLoader, get("/profile"));
    expect(res.status).toBe(302);
    expect(res.headers.get("Location")).toBe("/login?redirectTo=%2Fprofile");
  });

  it("signs out and asks to log in again when the API answers 401", async () => {
    server.use(
      failing("get", "/api/user/profile", () => apiError(401, "unauthorized", "Token expired")),
      failing("get", "/api/user/subscription", () => apiError(401, "unauthorized", "Token expired")),
      failing("get", "/api/user/seats", () => apiError(401, "unauthorized", "Token expired")),
    );
    const res = await run(profileLoader, get("/profile", await sessionCookie("stale", member)));
    expect(res.status).toBe(302);
    expect(res.headers.get("Location")).toBe("/login?redirectTo=%2Fprofile");
    const after = await afterResponse(res);
    expect(after.token).toBeUndefined();
    expect(after.toast).toMatchObject({ kind: "error", message: expect.stringMatching(/log in again/) });
  });

  it("shows the API's message with its status for a 500", async () => {
    server.use(
      failing("get", "/api/user/profile", () => apiError(500, "internal", "Something broke on our side")),
      failing("get", "/api/user/subscription", () => apiError(500, "internal", "Something broke on our side")),
      failing("get", "/api/user/seats", () => apiError(500, "internal", "Something broke on our side")),
    );
    const res = await run(profileLoader, get("/profile", await sessionCookie("t", member)));
    expect(res.status).toBe(500);
    expect(await res.json()).toMatchObject({ message: "Something broke on our side" });
  });

  it("turns a network failure into a readable 503", async () => {
    server.use(failing("get", "/api/tiers", () => HttpResponse.error()));
    const res = await run(pricingLoader, get("/pricing"));
    expect(res.status).toBe(503);
    expect(await res.json()).toMatchObject({ message: expect.stringMatching(/unreachable/) });
  });

  it("answers 503 when the database behind the API is down", async () => {
    server.use(
      failing("get", "/api/tiers", () => apiError(503, "database_unavailable", "The database is unavailable.")),
    );
    const res = await run(pricingLoader, get("/pricing"));
    expect(res.status).toBe(503);
    expect(await res.json()).toMatchObject({ message: "The database is unavailable." });
  });

  it("refuses the admin pages to a non-admin without asking the API", async () => {
    const res = await run(adminSubscriptionsLoader, get("/admin/subscriptions", await sessionCookie("t", member)));
    expect(res.status).toBe(403);
  });

  it("passes the API's 403 through when the session claims more than the API grants", async () => {
    server.use(
      failing("get", "/api/admin/subscription-stats", () => apiError(403, "forbidden", "Admins only")),
      failing("get", "/api/admin/subscriptions", () => apiError(403, "forbidden", "Admins only")),
      failing("get", "/api/tiers", () => apiError(403, "forbidden", "Admins only")),
    );
    const res = await run(adminSubscriptionsLoader, get("/admin/subscriptions", await sessionCookie("t", admin)));
    expect(res.status).toBe(403);
    expect(await res.json()).toMatchObject({ message: "Admins only" });
  });
});

describe("actions turn API refusals into flash messages", () => {
  it("flashes a 409 refusal and returns to the upgrade dialog", async () => {
    server.use(
      failing("post", "/api/user/subscription/upgrade", () =>
        apiError(409, "not_an_upgrade", "Pro is not an upgrade from Elite."),
      ),
    );
    const res = await run(
      upgradeAction,
      post("/profile/upgrade", { tier_slug: "pro", billing_cycle: "annual" }, await sessionCookie("t", member)),
    );
    expect(res.status).toBe(302);
    // Back to the dialog with the same choice, and the refusal shown inside it (not under the modal).
    expect(res.headers.get("Location")).toBe("/profile/upgrade?tier=pro&cycle=annual");
    expect((await afterResponse(res)).toast).toEqual({
      kind: "error",
      message: "Pro is not an upgrade from Elite.",
      placement: "dialog",
    });
  });

  it("flashes a 422 idempotency mismatch", async () => {
    server.use(
      failing("post", "/api/user/subscription/upgrade", () =>
        apiError(
          422,
          "idempotency_key_reused",
          "This Idempotency-Key was already used with a different request; use a new key.",
        ),
      ),
    );
    const res = await run(
      upgradeAction,
      post("/profile/upgrade", { tier_slug: "pro", billing_cycle: "monthly" }, await sessionCookie("t", member)),
    );
    expect((await afterResponse(res)).toast?.message).toMatch(/Idempotency-Key/);
  });

  it("sends the user to log in again on a 401, coming back to the same form", async () => {
    server.use(failing("post", "/api/user/subscription/upgrade", () => apiError(401, "unauthorized", "Token expired")));
    const res = await run(
      upgradeAction,
      post("/profile/upgrade", { tier_slug: "pro", billing_cycle: "monthly" }, await sessionCookie("t", member)),
    );
    expect(res.headers.get("Location")).toBe(
      `/login?${new URLSearchParams({ redirectTo: "/profile/upgrade?tier=pro&cycle=monthly" })}`,
    );
    expect((await afterResponse(res)).token).toBeUndefined();
  });

  it("flashes a dropped connection as a readable message", async () => {
    server.use(failing("post", "/api/user/subscription/downgrade", () => HttpResponse.error()));
    const res = await run(
      manageAction,
      post("/profile/manage", { intent: "downgrade", tier_slug: "member" }, await sessionCookie("t", member)),
    );
    expect(res.headers.get("Location")).toBe("/profile/manage");
    expect((await afterResponse(res)).toast?.message).toMatch(/unreachable/);
  });

  it("flashes a 400 validation message from the profile update", async () => {
    server.use(
      failing("patch", "/api/user/profile", () => apiError(400, "validation_failed", "Display name is too long.")),
    );
    const res = await run(
      profileAction,
      post("/profile", { display_name: "Ada", bio: "", location: "", job_title: "" }, await sessionCookie("t", member)),
    );
    expect((await afterResponse(res)).toast).toEqual({ kind: "error", message: "Display name is too long." });
  });

  it("will not cancel without the confirmation box, and does not call the API", async () => {
    const res = await run(
      manageAction,
      post("/profile/manage", { intent: "cancel", reason: "too pricey" }, await sessionCookie("t", member)),
    );
    expect(res.headers.get("Location")).toBe("/profile/manage");
    expect((await afterResponse(res)).toast?.message).toMatch(/confirmation/);
  });

  it("keeps a failed login on the form with the API's message", async () => {
    server.use(
      failing("post", "/api/auth/login", () => apiError(401, "invalid_credentials", "Wrong email or password.")),
    );
    const res = await run(loginAction, post("/login", { email: "ada@example.com", password: "nope-nope" }));
    expect(res.status).toBe(401);
    expect(res.headers.get("Set-Cookie")).toBeNull();
    expect(await res.json()).toEqual({
      formError: "Wrong email or password.",
      fieldErrors: {},
      email: "ada@example.com",
    });
  });

  const someone = "00000000-0000-4000-8000-0000000000aa";
  const catalog = http.get(`${API_URL}/api/tiers`, () =>
    HttpResponse.json({
      success: true,
      tiers: [
        {
          slug: "member",
          name: "Member",
          description: "",
          tier_level: 1,
          monthly_price_cents: 0,
          annual_price_cents: 0,
          is_active: true,
          is_paid: false,
          features: {},
        },
        {
          slug: "elite",
          name: "Elite",
          description: "",
          tier_level: 4,
          monthly_price_cents: 4999,
          annual_price_cents: 49990,
          is_active: true,
          is_paid: true,
          features: {},
        },
      ],
    }),
  );

  it("asks the admin for a tier (no default), a billing cycle for a paid one, and a reason", async () => {
    server.use(catalog);
    const cookie = await sessionCookie("t", admin);
    const send = async (fields: Record<string, string>) => {
      const res = await run(
        adminSubscriptionsAction,
        post(`/admin/subscriptions?assign=${someone}`, { user_id: someone, ...fields }, cookie),
      );
      expect(res.status).toBe(400);
      return ((await res.json()) as { errors: Record<string, string> }).errors;
    };
    expect(await send({ reason: "gift" })).toEqual({ tier_slug: "Choose a tier." });
    expect(await send({ tier_slug: "elite", reason: "gift" })).toEqual({
      billing_cycle: "Choose how Elite is billed.",
    });
    expect(await send({ tier_slug: "elite", billing_cycle: "monthly", reason: " " })).toEqual({
      reason: expect.any(String),
    });
  });

  it("keeps the dialog open with the API's refusal inside it", async () => {
    server.use(
      catalog,
      http.get(`${API_URL}/api/admin/users/:userId`, () =>
        HttpResponse.json({
          success: true,
          user: { id: someone, email: "ada@example.com", display_name: "Ada", tier_slug: "elite" },
          subscription: null,
        }),
      ),
      failing("post", "/api/admin/subscriptions/:userId/assign-tier", () =>
        apiError(409, "nothing_to_change", "The user is already on Elite, billed monthly, with nothing scheduled."),
      ),
    );
    const res = await run(
      adminSubscriptionsAction,
      post(
        `/admin/subscriptions?tier=pro&assign=${someone}`,
        { user_id: someone, tier_slug: "elite", billing_cycle: "monthly", reason: "gift" },
        await sessionCookie("t", admin),
      ),
    );
    expect(res.headers.get("Location")).toBe(`/admin/subscriptions?tier=pro&assign=${someone}`);
    expect((await afterResponse(res)).toast).toEqual({
      kind: "error",
      message: "The user is already on Elite, billed monthly, with nothing scheduled.",
      placement: "dialog",
    });
  });
});
