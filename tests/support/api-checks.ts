import { expect } from "vitest";
import { snapshot } from "./fixtures.ts";
import type { TestApp } from "./test-app.ts";

/** Sends the request and asserts it was refused with `status` and `code` and changed nothing in the database. */
export async function expectRefusal(
  t: TestApp,
  request: () => Promise<Response>,
  status: number,
  code: string,
): Promise<{ success: false; error: { code: string; message: string; details?: unknown } }> {
  const before = await snapshot(t.db);
  const res = await request();
  const body = await res.json();
  expect({ status: res.status, code: body.error?.code, success: body.success }).toEqual({
    status,
    code,
    success: false,
  });
  expect(await snapshot(t.db)).toBe(before);
  return body;
}

/** A fresh user upgraded through the API; the clock moves a minute around the upgrade. */
export async function signupOnTier(t: TestApp, tier: string, cycle: "monthly" | "annual" = "monthly") {
  const { token, user } = await t.signup();
  t.clock.advance({ minutes: 1 });
  const res = await t.request("POST", "/api/user/subscription/upgrade", {
    token,
    json: { tier_slug: tier, billing_cycle: cycle },
  });
  expect(res.status).toBe(200);
  t.clock.advance({ minutes: 1 });
  return { token: (await res.json()).token as string, user };
}
