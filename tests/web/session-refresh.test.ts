import { decodeJwt } from "jose";
import { http } from "msw";
import { setupServer } from "msw/node";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import { getSession } from "../../web/app/lib/session.server.ts";
import { action as logoutAction } from "../../web/app/routes/logout.tsx";
import { action as profileAction, loader as profileLoader } from "../../web/app/routes/profile.tsx";
import { action as signupAction } from "../../web/app/routes/signup.tsx";
import { createTestApp, TEST_PASSWORD, type TestApp } from "../support/test-app.ts";
import { API_URL, afterResponse, get, post, run } from "./kit.ts";

// The web session keeps both tokens and refreshes shortly before the access token expires. The web
// reads the real clock (faked here) and the API the test clock; both travel together.
let api: TestApp;
const server = setupServer(http.all(`${API_URL}/*`, ({ request }) => api.app.fetch(request)));
const START = new Date("2025-03-01T09:00:00.000Z");

function travel(step: { minutes?: number; seconds?: number }) {
  const now = api.clock.advance(step);
  vi.setSystemTime(now);
}

beforeAll(async () => {
  api = await createTestApp({ start: START });
  server.listen({ onUnhandledRequest: "error" });
});
afterAll(async () => {
  server.close();
  await api.close();
});
beforeEach(() => {
  vi.useFakeTimers({ toFake: ["Date"] });
  vi.setSystemTime(api.clock.now());
});
afterEach(() => vi.useRealTimers());

async function signedUp(): Promise<string> {
  const email = `refresh-${Math.random().toString(36).slice(2, 8)}@example.com`;
  const res = await run(signupAction, post("/signup", { display_name: "Rae", email, password: TEST_PASSWORD }));
  expect(res.status).toBe(302);
  return (await afterResponse(res)).cookie;
}

async function tokensIn(cookie: string) {
  const session = await getSession(get("/", cookie));
  return { token: session.get("token") as string, refreshToken: session.get("refreshToken") as string };
}

const refreshAtApi = (refreshToken: string) =>
  api.request("POST", "/api/auth/refresh", { json: { refresh_token: refreshToken } });

describe("the web session", () => {
  it("keeps both tokens from sign-up and uses the access token as is while it has time left", async () => {
    const cookie = await signedUp();
    const { token, refreshToken } = await tokensIn(cookie);
    expect(decodeJwt(token).sid).toEqual(expect.any(String));
    expect(refreshToken).toMatch(/^rt_/);
    travel({ minutes: 13 });
    expect((await run(profileLoader, get("/profile", cookie))).status).toBe(200);
  });

  it("refreshes a page load shortly before expiry: a redirect to the same page stores the new pair", async () => {
    const cookie = await signedUp();
    const before = await tokensIn(cookie);
    travel({ minutes: 14, seconds: 30 });
    const res = await run(profileLoader, get("/profile?tab=plan", cookie));
    expect(res.status).toBe(302);
    expect(res.headers.get("Location")).toBe("/profile?tab=plan");
    const after = await afterResponse(res);
    const tokens = await tokensIn(after.cookie);
    expect(tokens.refreshToken).not.toBe(before.refreshToken);
    expect(decodeJwt(tokens.token).sid).toBe(decodeJwt(before.token).sid);
    expect(decodeJwt(tokens.token).exp).toBeGreaterThan(decodeJwt(before.token).exp as number);
    expect((await run(profileLoader, get("/profile?tab=plan", after.cookie))).status).toBe(200);
  });

  it("lets parallel loaders of one navigation refresh together without logging the user out", async () => {
    const cookie = await signedUp();
    travel({ minutes: 20 });
    const answers = await Promise.all([1, 2, 3].map(() => run(profileLoader, get("/profile", cookie))));
    expect(answers.map((res) => res.status)).toEqual([302, 302, 302]);
    const cookies = await Promise.all(answers.map(async (res) => tokensIn((await afterResponse(res)).cookie)));
    expect(new Set(cookies.map((c) => c.refreshToken)).size).toBe(1);
    // Whichever answer the browser kept, the session goes on, also after the grace window.
    travel({ seconds: 45 });
    expect((await refreshAtApi(cookies[2]!.refreshToken)).status).toBe(200);
  });

  it("refreshes inside an action and stores the new pair with the action's redirect", async () => {
    const cookie = await signedUp();
    const before = await tokensIn(cookie);
    travel({ minutes: 16 });
    const res = await run(
      profileAction,
      post("/profile", { display_name: "Rae Refreshed", bio: "", location: "", job_title: "" }, cookie),
    );
    expect(res.status).toBe(302);
    const after = await afterResponse(res);
    expect(after.toast).toEqual({ kind: "success", message: "Your profile has been saved." });
    const tokens = await tokensIn(after.cookie);
    expect(tokens.refreshToken).not.toBe(before.refreshToken);
    expect(decodeJwt(tokens.token).display_name).toBe("Rae Refreshed");
    travel({ minutes: 1 });
    expect((await refreshAtApi(tokens.refreshToken)).status).toBe(200);
  });

  it("stores a refresh made by an action that answers with a form error", async () => {
    const cookie = await signedUp();
    travel({ minutes: 16 });
    const res = await run(
      profileAction,
      post("/profile", { display_name: "", bio: "", location: "", job_title: "" }, cookie),
    );
    expect(res.status).toBe(400);
    const tokens = await tokensIn((await afterResponse(res)).cookie);
    expect(tokens.refreshToken).not.toBe((await tokensIn(cookie)).refreshToken);
  });

  it("signs out when the API refuses the refresh (the session was ended elsewhere)", async () => {
    const cookie = await signedUp();
    const { refreshToken } = await tokensIn(cookie);
    expect((await api.request("POST", "/api/auth/logout", { json: { refresh_token: refreshToken } })).status).toBe(200);
    travel({ minutes: 15 });
    const res = await run(profileLoader, get("/profile", cookie));
    expect(res.status).toBe(302);
    expect(res.headers.get("Location")).toBe("/login?redirectTo=%2Fprofile");
    const after = await afterResponse(res);
    expect(after.token).toBeUndefined();
    expect(after.toast).toMatchObject({ kind: "error" });
  });

  it("revokes the API session on logout: its access and refresh tokens stop working", async () => {
    const cookie = await signedUp();
    const { token, refreshToken } = await tokensIn(cookie);
    const res = await run(logoutAction, post("/logout", {}, cookie));
    expect(res.status).toBe(302);
    expect((await afterResponse(res)).token).toBeUndefined();
    expect((await api.request("GET", "/api/user/profile", { token })).status).toBe(401);
    const refused = await refreshAtApi(refreshToken);
    expect(refused.status).toBe(401);
    expect((await refused.json()).error.code).toBe("session_revoked");
  });
});
