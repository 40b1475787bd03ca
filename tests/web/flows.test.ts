import { beforeAll, describe, expect, it } from "vitest";
import {
  action as assignOnSubscriptions,
  loader as subscriptionsLoader,
} from "../../web/app/routes/admin.subscriptions.tsx";
import { loader as usersLoader } from "../../web/app/routes/admin.users._index.tsx";
import { loader as userDetailsLoader } from "../../web/app/routes/admin.users.$userId.tsx";
import { action as loginAction } from "../../web/app/routes/login.tsx";
import { loader as pricingLoader } from "../../web/app/routes/pricing.tsx";
import { action as manageAction } from "../../web/app/routes/profile.manage.tsx";
import { action as profileAction, loader as profileLoader } from "../../web/app/routes/profile.tsx";
import { action as upgradeAction } from "../../web/app/routes/profile.upgrade.tsx";
import { action as signupAction } from "../../web/app/routes/signup.tsx";
import { api, setupInProcessApi } from "../support/in-process-api.ts";
import { TEST_PASSWORD } from "../support/test-app.ts";
import { afterResponse, get, member, post, run, sessionCookie } from "./kit.ts";

// The loaders and actions talk to the real API, in process: msw hands every API call to the Hono app.
setupInProcessApi();

type ProfileData = {
  user: { id: string; email: string; display_name: string; job_title: string | null };
  overview: {
    subscription: {
      tier: { slug: string };
      billing_cycle: string | null;
      status: string;
      current_period_end: string | null;
      scheduled_tier_slug: string | null;
    };
    can_upgrade: boolean;
  };
  formKey: string;
};

async function profile(cookie: string): Promise<ProfileData> {
  const res = await run(profileLoader, get("/profile", cookie));
  expect(res.status).toBe(200);
  return (await res.json()) as ProfileData;
}

/** Posts to an action the way a browser does and follows the session: returns the new cookie and toast. */
async function submit(action: unknown, path: string, fields: Record<string, string>, cookie?: string) {
  const res = await run(action, post(path, fields, cookie));
  expect(res.status, await res.clone().text()).toBe(302);
  return { location: res.headers.get("Location"), ...(await afterResponse(res)) };
}

let sequence = 0;

/** A member of its own, signed in through the web's log-in action: no test depends on another's state. */
async function signedInMember() {
  const email = `grace-${++sequence}-${Date.now()}@example.com`;
  const { user } = await api.signup(email, { displayName: "Grace" });
  const loggedIn = await submit(loginAction, "/login", { email, password: TEST_PASSWORD, redirectTo: "" });
  return { email, userId: user.id, cookie: loggedIn.cookie };
}

/** A member who upgraded to Pro, billed annually, through the web's upgrade action. */
async function proMember() {
  const signedIn = await signedInMember();
  const { formKey } = await profile(signedIn.cookie);
  const fields = { intent: "upgrade", tier_slug: "pro", billing_cycle: "annual", idempotency_key: formKey };
  const upgraded = await submit(upgradeAction, "/profile/upgrade", fields, signedIn.cookie);
  return { ...signedIn, cookie: upgraded.cookie };
}

describe("a member's plan, through the web app's loaders and actions", () => {
  it("signs up into a cookie session and starts as Member", async () => {
    const email = `grace-signup-${Date.now()}@example.com`;
    const signedUp = await submit(signupAction, "/signup", { display_name: "Grace", email, password: TEST_PASSWORD });
    expect(signedUp.location).toBe("/profile");
    expect(signedUp.toast).toEqual({ kind: "success", message: "Welcome to tierkit, Grace!" });
    expect(signedUp.token).toEqual(expect.any(String));
    const data = await profile(signedUp.cookie);
    expect(data.overview.subscription.tier.slug).toBe("member");
    expect(data.overview.can_upgrade).toBe(true);
  });

  it("upgrades to Pro, annual, and shows it at once with a next billing date", async () => {
    let { cookie } = await signedInMember();
    const { formKey } = await profile(cookie);
    const fields = { intent: "upgrade", tier_slug: "pro", billing_cycle: "annual", idempotency_key: formKey };
    const upgraded = await submit(upgradeAction, "/profile/upgrade", fields, cookie);
    expect(upgraded.location).toBe("/profile");
    expect(upgraded.toast?.message).toMatch(
      /^Your plan is now Pro, billed annually\. It renews on [A-Z][a-z]{2} \d{1,2}, \d{4} \(UTC\)\.$/,
    );
    cookie = upgraded.cookie;
    const { subscription } = (await profile(cookie)).overview;
    expect(subscription).toMatchObject({ tier: { slug: "pro" }, billing_cycle: "annual", status: "active" });
    expect(subscription.current_period_end).not.toBeNull();

    // The same form sent again (a double submit) is a replay, not a second change or an error.
    const replay = await submit(upgradeAction, "/profile/upgrade", fields, cookie);
    expect(replay.toast?.kind).toBe("success");
  });

  it("schedules a downgrade, undoes it, cancels and resumes", async () => {
    const { cookie } = await proMember();
    const scheduled = await submit(
      manageAction,
      "/profile/manage",
      { intent: "downgrade", tier_slug: "member", reason: "Too much" },
      cookie,
    );
    expect(scheduled.location).toBe("/profile");
    expect(scheduled.toast?.message).toMatch(/^Downgrade to Member scheduled for /);
    expect((await profile(cookie)).overview.subscription.scheduled_tier_slug).toBe("member");

    const undone = await submit(manageAction, "/profile/manage", { intent: "undo-downgrade" }, cookie);
    expect(undone.toast?.kind).toBe("success");
    expect((await profile(cookie)).overview.subscription.scheduled_tier_slug).toBeNull();

    await submit(manageAction, "/profile/manage", { intent: "cancel", reason: "Budget", confirm: "yes" }, cookie);
    expect((await profile(cookie)).overview.subscription.status).toBe("cancelled");

    await submit(manageAction, "/profile/manage", { intent: "resume" }, cookie);
    expect((await profile(cookie)).overview.subscription.status).toBe("active");
  });

  it("turns the API's 409 for a non-upgrade into a flash message", async () => {
    const { cookie } = await proMember();
    const refused = await submit(
      upgradeAction,
      "/profile/upgrade",
      { tier_slug: "member", billing_cycle: "monthly" },
      cookie,
    );
    expect(refused.location).toBe("/profile/upgrade?tier=member&cycle=monthly");
    expect(refused.toast).toMatchObject({ kind: "error", placement: "dialog" });
    expect(refused.toast?.message.length).toBeGreaterThan(5);
  });

  it("saves the profile fields and keeps the new name in the session", async () => {
    let { cookie } = await signedInMember();
    const saved = await submit(
      profileAction,
      "/profile",
      { display_name: "Grace H.", bio: "Compilers", location: "Arlington", job_title: "Rear Admiral" },
      cookie,
    );
    expect(saved.user?.display_name).toBe("Grace H.");
    cookie = saved.cookie;
    expect((await profile(cookie)).user).toMatchObject({ display_name: "Grace H.", job_title: "Rear Admiral" });
  });

  it("ignores a tampered cookie and sends a token the API rejects back to log in", async () => {
    const { cookie } = await signedInMember();
    const tampered = await run(profileLoader, get("/profile", `${cookie}x`));
    expect(tampered.headers.get("Location")).toBe("/login?redirectTo=%2Fprofile");

    const rejected = await run(profileLoader, get("/profile", await sessionCookie("not-a-jwt", member)));
    expect(rejected.headers.get("Location")).toBe("/login?redirectTo=%2Fprofile");
    expect((await afterResponse(rejected)).toast?.message).toMatch(/log in again/);
  });

  it("lists the tiers on the pricing page", async () => {
    const res = await run(pricingLoader, get("/pricing"));
    const { tiers } = (await res.json()) as { tiers: { slug: string }[] };
    expect(tiers.map((t) => t.slug)).toEqual(["member", "pro", "business", "elite", "family"]);
  });
});

describe("an admin, through the web app's loaders and actions", () => {
  let adminCookie = "";

  beforeAll(async () => {
    adminCookie = await adminLogin();
  });

  async function adminLogin() {
    const adminEmail = `boss-${Date.now()}@example.com`;
    await api.signup(adminEmail, { admin: true });
    const loggedIn = await submit(loginAction, "/login", {
      email: adminEmail,
      password: TEST_PASSWORD,
      redirectTo: "",
    });
    expect(loggedIn.location).toBe("/admin/subscriptions");
    expect(loggedIn.user?.is_admin).toBe(true);
    return loggedIn.cookie;
  }

  it("logs in and lands on Subscription Management", async () => {
    expect(await adminLogin()).not.toBe("");
  });

  it("filters subscriptions by tier and reads the stats", async () => {
    const { email, userId } = await proMember();
    const res = await run(subscriptionsLoader, get("/admin/subscriptions?tier=pro&status=active", adminCookie));
    const data = (await res.json()) as {
      stats: { by_tier: Record<string, number> };
      list: { data: { user_email: string; user_id: string }[] };
    };
    expect(data.stats.by_tier.pro).toBeGreaterThanOrEqual(1);
    const row = data.list.data.find((r) => r.user_email === email);
    expect(row?.user_id).toBe(userId);
  });

  it("finds the user by email", async () => {
    const { email, userId } = await signedInMember();
    const res = await run(usersLoader, get(`/admin/users?q=${encodeURIComponent(email)}`, adminCookie));
    const data = (await res.json()) as { list: { data: { id: string }[] } };
    expect(data.list.data.map((u) => u.id)).toEqual([userId]);
  });

  it("assigns Elite with a reason, which the user's history shows", async () => {
    const { userId } = await proMember();
    const assigned = await submit(
      assignOnSubscriptions,
      `/admin/subscriptions?tier=pro&assign=${userId}`,
      {
        intent: "assign-tier",
        user_id: userId,
        tier_slug: "elite",
        billing_cycle: "monthly",
        reason: "Conference speaker",
      },
      adminCookie,
    );
    expect(assigned.location).toBe("/admin/subscriptions?tier=pro");
    expect(assigned.toast).toMatchObject({ kind: "success" });

    const res = await run(userDetailsLoader, get(`/admin/users/${userId}`, adminCookie), { userId });
    const data = (await res.json()) as {
      subscription: { tier: { slug: string } };
      history: { action: string; to_tier_slug: string; reason: string; is_admin_action: boolean }[];
    };
    expect(data.subscription.tier.slug).toBe("elite");
    expect(data.history).toContainEqual(
      expect.objectContaining({ to_tier_slug: "elite", reason: "Conference speaker", is_admin_action: true }),
    );
  });

  it("shows the API's 404 for an unknown user id", async () => {
    const unknown = "00000000-0000-4000-8000-00000000dead";
    const res = await run(userDetailsLoader, get(`/admin/users/${unknown}`, adminCookie), { userId: unknown });
    expect(res.status).toBe(404);
  });
});
