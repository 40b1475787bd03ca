import { eq } from "drizzle-orm";
import { afterAll, beforeAll, expect } from "vitest";
import { assignTier } from "../../api/services/subscriptions/index.ts";
import { usageCounters } from "../../db/schema.ts";
import { createTestApp, type TestApp } from "./test-app.ts";

// Set by setupUsageWorld's beforeAll; the test files read them as ESM live bindings.
export let t: TestApp;
export let admin: { token: string; user: { id: string } };
/** The key of the "chat-service" service, with scope usage:write. */
export let serviceKey: string;

/** One app (its clock at 2025-03-10T15:30Z), an admin and a service key for the test file. */
export function setupUsageWorld(): void {
  beforeAll(async () => {
    t = await createTestApp({ start: "2025-03-10T15:30:00.000Z" });
    admin = await t.signup(undefined, { admin: true });
    serviceKey = await createKey("chat-service");
  });
  afterAll(() => t.close());
}

export async function createKey(name: string): Promise<string> {
  const res = await t.request("POST", "/api/admin/service-keys", {
    token: admin.token,
    json: { name, scopes: ["usage:write"] },
  });
  expect(res.status).toBe(201);
  return ((await res.json()) as { key: string }).key;
}

export const use = (
  action: "consume" | "release",
  feature: string,
  json: unknown,
  options: { key?: string; headers?: Record<string, string> } = {},
) =>
  t.request("POST", `/api/usage/${feature}/${action}`, {
    token: options.key ?? serviceKey,
    json,
    headers: options.headers,
  });

export const counters = (userId: string) =>
  t.db
    .select({ feature: usageCounters.feature, period: usageCounters.period, used: usageCounters.used })
    .from(usageCounters)
    .where(eq(usageCounters.userId, userId));

export async function assign(userId: string, tierSlug: string) {
  await assignTier(t.db, {
    adminId: admin.user.id,
    userId,
    tierSlug,
    billingCycle: tierSlug === "member" ? null : "monthly",
    reason: "usage test",
    now: t.clock.now(),
  });
}
