import { sql } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import {
  action as assignOnSubscriptions,
  loader as subscriptionsLoader,
} from "../../web/app/routes/admin.subscriptions.tsx";
import { loader as usersLoader } from "../../web/app/routes/admin.users._index.tsx";
import { loader as userDetailsLoader } from "../../web/app/routes/admin.users.$userId.tsx";
import { action as loginAction } from "../../web/app/routes/login.tsx";
import { loader as pricingLoader } from "../../web/app/routes/pricing.tsx";
import { loader as profileLoader } from "../../web/app/routes/profile.tsx";
import { action as signupAction } from "../../web/app/routes/signup.tsx";
import { api, setupInProcessApi } from "../support/in-process-api.ts";
import { TEST_PASSWORD } from "../support/test-app.ts";
import { afterResponse, get, post, run } from "./kit.ts";

// Loaders and actions against the real API in process (msw hands every call to the Hono app).
setupInProcessApi();

async function signedIn(email: string, options: { admin?: boolean } = {}) {
  const { user } = await api.signup(email, options);
  const res = await run(loginAction, post("/login", { email, password: TEST_PASSWORD, redirectTo: "/profile" }));
  return { user, cookie: (await afterResponse(res)).cookie };
}

const jsonOf = async <T>(response: Response, status = 200): Promise<T> => {
  expect(response.status, await response.clone().text()).toBe(status);
  return (await response.json()) as T;
};

describe("sign-up and log-in errors sit next to their fields", () => {
  it("maps the API's validation details to the fields they name", async () => {
    const res = await run(
      signupAction,
      post("/signup", { display_name: "Kim", email: "not-an-email", password: "short" }),
    );
    const body = await jsonOf<{ formError?: string; fieldErrors: Record<string, string> }>(res, 400);
    expect(body.fieldErrors).toEqual({
      email: "Enter a valid email address.",
      password: "Passwords have at least 8 characters.",
    });
    expect(body.formError).toBeUndefined();
  });

  it("puts a taken email on the email field and a missing field on that field", async () => {
    await api.signup("taken@example.com");
    const taken = await run(
      signupAction,
      post("/signup", { display_name: "Kim", email: "taken@example.com", password: TEST_PASSWORD }),
    );
    expect((await jsonOf<{ fieldErrors: Record<string, string> }>(taken, 409)).fieldErrors).toEqual({
      email: "An account with this email already exists.",
    });
    const missing = await run(loginAction, post("/login", { email: "kim@example.com", password: "" }));
    expect((await jsonOf<{ fieldErrors: Record<string, string> }>(missing, 400)).fieldErrors).toEqual({
      password: "Enter your password.",
    });
  });
});

describe("the pricing page knows who is looking", () => {
  it("marks a signed-in member's plan and what they can upgrade to", async () => {
    const { cookie } = await signedIn("pricing-member@example.com");
    const data = await jsonOf<{ plan: { current: string; upgrades: string[] }; cycle: string }>(
      await run(pricingLoader, get("/pricing?cycle=annual", cookie)),
    );
    expect(data.cycle).toBe("annual");
    expect(data.plan.current).toBe("member");
    expect(data.plan.upgrades).not.toContain("member");
    expect((await jsonOf<{ plan: null }>(await run(pricingLoader, get("/pricing")))).plan).toBeNull();
  });
});

describe("admin pages", () => {
  let cookie = "";
  let target: { id: string; email: string; display_name: string };

  beforeAll(async () => {
    cookie = (await signedIn("truth-admin@example.com", { admin: true })).cookie;
    target = (await api.signup("grace@example.com", { displayName: "Grace" })).user;
  });

  it("loads the assign dialog's user by id, even when they are not on the page", async () => {
    const data = await jsonOf<{
      list: { data: { user_id: string }[] };
      assignee: { name: string; email: string; tierSlug: string };
    }>(await run(subscriptionsLoader, get(`/admin/subscriptions?tier=elite&assign=${target.id}`, cookie)));
    expect(data.list.data.some((row) => row.user_id === target.id)).toBe(false);
    expect(data.assignee).toMatchObject({ name: "Grace", email: "grace@example.com", tierSlug: "member" });
  });

  it("names the user and the tier on success, and refuses an assignment that changes nothing", async () => {
    const fields = {
      intent: "assign-tier",
      user_id: target.id,
      tier_slug: "pro",
      billing_cycle: "annual",
      reason: "Beta",
    };
    const done = await run(assignOnSubscriptions, post(`/admin/subscriptions?assign=${target.id}`, fields, cookie));
    expect(done.headers.get("Location")).toBe("/admin/subscriptions");
    expect((await afterResponse(done)).toast).toEqual({
      kind: "success",
      message: "\u2068Grace\u2069 (grace@example.com) is now on Pro, billed annually.",
    });

    const again = await run(assignOnSubscriptions, post(`/admin/subscriptions?assign=${target.id}`, fields, cookie));
    expect(again.headers.get("Location")).toBe(`/admin/subscriptions?assign=${target.id}`);
    expect((await afterResponse(again)).toast).toMatchObject({
      kind: "error",
      placement: "dialog",
      message: expect.stringMatching(/already on Pro/),
    });
  });

  it("clamps a page past the end to the last page", async () => {
    const data = await jsonOf<{ list: { page: number; total: number; data: unknown[] } }>(
      await run(usersLoader, get("/admin/users?page=4000", cookie)),
    );
    expect(data.list.page).toBe(Math.max(1, Math.ceil(data.list.total / 20)));
    expect(data.list.data.length).toBeGreaterThan(0);
  });

  it("answers 404 for /admin/users/not-a-uuid", async () => {
    const res = await run(userDetailsLoader, get("/admin/users/not-a-uuid", cookie), { userId: "not-a-uuid" });
    expect(res.status).toBe(404);
    expect(await res.json()).toEqual({ message: "There is no such user." });
  });
});

describe("a sixth tier added by SQL", () => {
  it("reaches pricing, the upgrade choices, the admin filters, the chart and the assign action, and counts as paid", async () => {
    await api.db.execute(sql`INSERT INTO user_tiers (slug, name, description, tier_level, monthly_price_cents, annual_price_cents, features)
                             VALUES ('atelier', 'Atelier', 'For ateliers.', 6, 14900, 149000, '{}')`);
    // Each API instance keeps the catalog for TIERS_CACHE_SECONDS; let that pass, as a deploy would.
    api.clock.advance({ minutes: 6 });
    const { cookie: adminCookie } = await signedIn("sixth-admin@example.com", { admin: true });
    const { user, cookie } = await signedIn("sixth-member@example.com");

    const pricing = await jsonOf<{ tiers: { slug: string; is_paid: boolean; features: object }[] }>(
      await run(pricingLoader, get("/pricing")),
    );
    expect(pricing.tiers.at(-1)).toMatchObject({ slug: "atelier", is_paid: true, features: {} });

    const profile = await jsonOf<{ overview: { available_upgrades: { slug: string }[] } }>(
      await run(profileLoader, get("/profile", cookie)),
    );
    expect(profile.overview.available_upgrades.map((tier) => tier.slug)).toContain("atelier");

    type AdminData = {
      tiers: { slug: string }[];
      stats: { by_tier: Record<string, number>; paid_subscriptions: number };
    };
    const before = await jsonOf<AdminData>(await run(subscriptionsLoader, get("/admin/subscriptions", adminCookie)));
    expect(before.tiers.map((tier) => tier.slug)).toContain("atelier");
    expect(before.stats.by_tier.atelier).toBe(0);

    const fields = {
      intent: "assign-tier",
      user_id: user.id,
      tier_slug: "atelier",
      billing_cycle: "monthly",
      reason: "Pilot",
    };
    const assigned = await run(
      assignOnSubscriptions,
      post(`/admin/subscriptions?assign=${user.id}`, fields, adminCookie),
    );
    expect((await afterResponse(assigned)).toast?.message).toBe(
      "\u2068sixth-member\u2069 (sixth-member@example.com) is now on Atelier, billed monthly.",
    );

    const after = await jsonOf<AdminData & { query: { tier: string } }>(
      await run(subscriptionsLoader, get("/admin/subscriptions?tier=atelier", adminCookie)),
    );
    expect(after.query.tier).toBe("atelier");
    expect(after.stats.by_tier.atelier).toBe(1);
    expect(after.stats.paid_subscriptions).toBe(before.stats.paid_subscriptions + 1);
  });
});
