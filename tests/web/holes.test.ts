import { eq } from "drizzle-orm";
import { http } from "msw";
import { setupServer } from "msw/node";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { createApp } from "../../api/app.ts";
import { rateLimits, subscriptionHistory, users } from "../../db/schema.ts";
import { ApiError, api as webApi } from "../../web/app/lib/api.server.ts";
import { setSecurityHeaders } from "../../web/app/lib/security-headers.server.ts";
import { action as assignOnSubscriptions } from "../../web/app/routes/admin.subscriptions.tsx";
import { action as loginAction, loader as loginLoader } from "../../web/app/routes/login.tsx";
import { action as logoutAction } from "../../web/app/routes/logout.tsx";
import { action as signupAction, loader as signupLoader } from "../../web/app/routes/signup.tsx";
import { createTestApp, TEST_PASSWORD, type TestApp } from "../support/test-app.ts";
import { API_URL, afterResponse, get, post, run, sessionCookie, WEB } from "./kit.ts";

// The loaders and actions talk to the real API, in process; every path the API is asked for is kept.
const HOP_SECRET = "the-web-servers-secret-for-the-api-0123";
let api: TestApp;
let app: ReturnType<typeof createApp>;
const asked: string[] = [];
const server = setupServer(
  http.all(`${API_URL}/*`, ({ request }) => {
    asked.push(new URL(request.url).pathname);
    return app.fetch(request);
  }),
);

let member: { id: string; email: string };
let adminCookie = "";
let adminToken = "";

beforeAll(async () => {
  // The web app reads the real clock to decide when to refresh, so the API starts at real time too.
  api = await createTestApp({ start: new Date() });
  // As `npm start` runs it: nothing in front of the API is believed but the web server's own hop.
  app = createApp({ ...api.deps, clientAddress: { trustProxy: { kind: "none" }, webHopSecret: HOP_SECRET } });
  process.env.WEB_API_SECRET = HOP_SECRET;
  server.listen({ onUnhandledRequest: "error" });
  member = (await api.signup("holes-member@example.com")).user;
  const boss = await api.signup("holes-admin@example.com", { admin: true });
  adminToken = boss.token;
  adminCookie = await sessionCookie(boss.token, { ...boss.user, is_admin: true });
});
afterEach(() => {
  asked.length = 0;
  delete process.env.APP_ORIGIN;
});
afterAll(async () => {
  delete process.env.WEB_API_SECRET;
  server.close();
  await api.close();
});

const userCount = async (email: string) => (await api.db.select().from(users).where(eq(users.email, email))).length;

function withHeaders(request: Request, headers: Record<string, string>): Request {
  const copy = new Request(request);
  for (const [name, value] of Object.entries(headers)) copy.headers.set(name, value);
  return copy;
}

describe("redirectTo after signing in stays on the site", () => {
  it.each([
    "/\\evil.example",
    "/%5Cevil.example",
    "/%09/evil.example",
    "/\t/evil.example",
    "//evil.example",
    "https://evil.example/",
    "javascript:alert(1)",
    "/\\/evil.example",
  ])("%j", async (redirectTo) => {
    const res = await run(loginAction, post("/login", { email: member.email, password: TEST_PASSWORD, redirectTo }));
    expect(res.status).toBe(302);
    const location = res.headers.get("Location") ?? "";
    expect(new URL(location, WEB).origin).toBe(WEB);
    expect(location.startsWith("/") && !location.startsWith("//") && !location.includes("\\")).toBe(true);
    expect((await afterResponse(res)).user?.email).toBe(member.email);
    const [row] = await api.db.select().from(users).where(eq(users.id, member.id));
    expect(row?.lastLogin).toEqual(api.clock.now());
  });

  it("keeps a path on the site, and a full URL on APP_ORIGIN when the server sees another address", async () => {
    const kept = await run(
      loginAction,
      post("/login", { email: member.email, password: TEST_PASSWORD, redirectTo: "/profile/upgrade?from=mail#plans" }),
    );
    expect(kept.headers.get("Location")).toBe("/profile/upgrade?from=mail#plans");

    process.env.APP_ORIGIN = "https://app.example.com";
    const full = await run(
      loginAction,
      post("/login", { email: member.email, password: TEST_PASSWORD, redirectTo: "https://app.example.com/profile" }),
    );
    expect(full.headers.get("Location")).toBe("/profile");
    const signedIn = await sessionCookie("token", {
      id: member.id,
      email: member.email,
      display_name: "M",
      is_admin: false,
    });
    const loader = await run(loginLoader, get(`/login?redirectTo=${encodeURIComponent("/\\evil.example")}`, signedIn));
    expect(loader.headers.get("Location")).toBe("/profile");
  });

  it("sends a signed-in visitor of the sign-up page where redirectTo says, as the log-in page does", async () => {
    const signedIn = await sessionCookie("token", {
      id: member.id,
      email: member.email,
      display_name: "M",
      is_admin: false,
    });
    const to = "/profile/upgrade?tier=pro&cycle=monthly";
    const kept = await run(signupLoader, get(`/signup?${new URLSearchParams({ redirectTo: to })}`, signedIn));
    expect(kept.headers.get("Location")).toBe(to);
    const offSite = await run(
      signupLoader,
      get(`/signup?redirectTo=${encodeURIComponent("//evil.example")}`, signedIn),
    );
    expect(offSite.headers.get("Location")).toBe("/profile");
  });
});

describe("cross-site form posts", () => {
  it("refuses a sign-up posted from another site with 403 and creates no account", async () => {
    const fields = { display_name: "Mallory", email: "csrf@example.com", password: TEST_PASSWORD };
    expect(
      (await run(signupAction, withHeaders(post("/signup", fields), { Origin: "https://evil.example" }))).status,
    ).toBe(403);
    expect(
      (await run(signupAction, withHeaders(post("/signup", fields), { "Sec-Fetch-Site": "cross-site" }))).status,
    ).toBe(403);
    expect((await run(signupAction, withHeaders(post("/signup", fields), { Origin: "null" }))).status).toBe(403);
    expect(asked).toEqual([]);
    expect(await userCount("csrf@example.com")).toBe(0);

    const same = await run(
      signupAction,
      withHeaders(post("/signup", fields), { Origin: WEB, "Sec-Fetch-Site": "same-origin" }),
    );
    expect(same.status).toBe(302);
    expect(await userCount("csrf@example.com")).toBe(1);
  });

  it("compares Origin with APP_ORIGIN when one is set", async () => {
    process.env.APP_ORIGIN = "https://app.example.com";
    const fields = { display_name: "Proxy", email: "behind-proxy@example.com", password: TEST_PASSWORD };
    expect((await run(signupAction, withHeaders(post("/signup", fields), { Origin: WEB }))).status).toBe(403);
    expect(
      (await run(signupAction, withHeaders(post("/signup", fields), { Origin: "https://app.example.com" }))).status,
    ).toBe(302);
    expect(await userCount("behind-proxy@example.com")).toBe(1);
  });

  it("refuses a cross-site tier assignment and a cross-site logout, changing nothing", async () => {
    const before = await api.db.select().from(subscriptionHistory).where(eq(subscriptionHistory.userId, member.id));
    const assign = withHeaders(
      post(
        "/admin/subscriptions",
        { intent: "assign-tier", user_id: member.id, tier_slug: "elite", billing_cycle: "monthly", reason: "csrf" },
        adminCookie,
      ),
      { Origin: "https://evil.example" },
    );
    expect((await run(assignOnSubscriptions, assign)).status).toBe(403);
    expect(await api.db.select().from(subscriptionHistory).where(eq(subscriptionHistory.userId, member.id))).toEqual(
      before,
    );

    const logout = await run(
      logoutAction,
      withHeaders(post("/logout", {}, adminCookie), { "Sec-Fetch-Site": "cross-site" }),
    );
    expect(logout.status).toBe(403);
    expect(logout.headers.get("Set-Cookie")).toBeNull();
  });
});

describe("form bodies that are not forms", () => {
  const send = (contentType: string, body: string) =>
    run(signupAction, new Request(`${WEB}/signup`, { method: "POST", headers: { "Content-Type": contentType }, body }));

  it("answers JSON and text/plain with 415, a broken multipart body with 400, and creates no account", async () => {
    expect(
      (
        await send(
          "application/json",
          JSON.stringify({ email: "json@example.com", password: TEST_PASSWORD, display_name: "J" }),
        )
      ).status,
    ).toBe(415);
    expect((await send("text/plain", "email=text@example.com")).status).toBe(415);
    expect(
      (
        await send(
          "multipart/form-data; boundary=xyz",
          '--xyz\r\nContent-Disposition: form-data; name="email"\r\n\r\nbroken',
        )
      ).status,
    ).toBe(400);
    expect((await send("application/x-www-form-urlencoded", "%E0%A4%A=bad")).status).toBe(400);
    expect(asked).toEqual([]);
    expect(await userCount("json@example.com")).toBe(0);
    expect(await userCount("text@example.com")).toBe(0);
  });
});

describe("path parameters taken from forms", () => {
  it("refuses a user_id that is not a user id in the form, without asking the API", async () => {
    const before = await api.db.select().from(subscriptionHistory);
    const res = await run(
      assignOnSubscriptions,
      post(
        "/admin/subscriptions",
        {
          intent: "assign-tier",
          user_id: "../../tiers?",
          tier_slug: "elite",
          billing_cycle: "monthly",
          reason: "traversal",
        },
        adminCookie,
      ),
    );
    expect(res.status).toBe(400);
    expect(asked.filter((path) => path !== "/api/tiers")).toEqual([]);
    expect(await api.db.select().from(subscriptionHistory)).toEqual(before);
  });

  it("are encoded by the API client, so ../../tiers? reaches the assign-tier route (and is refused there), not another route", async () => {
    const before = await api.db.select().from(subscriptionHistory);
    await expect(
      webApi.assignTier(adminToken, "../../tiers?", {
        tier_slug: "elite",
        billing_cycle: "monthly",
        reason: "traversal",
      }),
    ).rejects.toBeInstanceOf(ApiError);
    expect(asked).toEqual(["/api/admin/subscriptions/..%2F..%2Ftiers%3F/assign-tier"]);
    expect(await api.db.select().from(subscriptionHistory)).toEqual(before);
  });
});

describe("the visitor's address on the web → API hop", () => {
  it("reaches the API's sign-in limit with the shared secret, as the web server saw it", async () => {
    const login = withHeaders(post("/login", { email: member.email, password: "wrong password" }), {
      "X-Forwarded-For": "203.0.113.201",
    });
    expect((await run(loginAction, login)).status).toBe(401);
    const [counter] = await api.db.select().from(rateLimits).where(eq(rateLimits.key, "login:ip:203.0.113.201"));
    expect(counter?.hits).toBe(1);
  });
});

describe("security headers", () => {
  it("sets the CSP, nosniff, framing and referrer headers, and no-store only for a signed-in visitor", async () => {
    const anonymous = new Headers();
    await setSecurityHeaders(get("/pricing"), anonymous, "abc123");
    expect(anonymous.get("Content-Security-Policy")).toContain("script-src 'self' 'nonce-abc123'");
    expect(anonymous.get("Content-Security-Policy")).toContain("frame-ancestors 'none'");
    expect(anonymous.get("X-Content-Type-Options")).toBe("nosniff");
    expect(anonymous.get("Referrer-Policy")).toBe("strict-origin-when-cross-origin");
    expect(anonymous.get("Cache-Control")).toBeNull();

    const signedIn = new Headers();
    await setSecurityHeaders(get("/profile", adminCookie), signedIn);
    expect(signedIn.get("Cache-Control")).toBe("no-store");
  });
});
