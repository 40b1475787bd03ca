import { afterAll, beforeAll, beforeEach } from "vitest";
import { createTestApp, type TestApp } from "./test-app.ts";

// Set by setupAdminSubscriptionsWorld's hooks; the test files read them as ESM live bindings.
export let t: TestApp;
export let admin: { token: string; id: string; email: string };
export let member: { token: string; id: string };

/** One app for the test file with an admin (root@example.com) and a member (plain@example.com). */
export function setupAdminSubscriptionsWorld(): void {
  beforeAll(async () => {
    t = await createTestApp();
    const signedUp = await t.signup("root@example.com", { admin: true });
    admin = { token: signedUp.token, id: signedUp.user.id, email: signedUp.user.email };
    const m = await t.signup("plain@example.com");
    member = { token: m.token, id: m.user.id };
  });
  afterAll(() => t.close());
  // The clock travels between tests and access tokens live 15 minutes: each test signs in afresh.
  beforeEach(async () => {
    admin.token = await t.tokenFor(admin.id);
    member.token = await t.tokenFor(member.id);
  });
}

export const get = (path: string, token = admin.token) => t.request("GET", `/api/admin${path}`, { token });
