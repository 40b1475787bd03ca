import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestApp, type TestApp } from "../../tests/support/test-app.ts";
import { createUsageClient, TierkitError } from "../index.ts";

// The client against the real API in-process: its fetch is the app's own request handler.
let t: TestApp;
let client: ReturnType<typeof createUsageClient>;
let userId: string;

beforeAll(async () => {
  t = await createTestApp({ start: "2025-06-01T18:00:00.000Z" });
  const admin = await t.signup(undefined, { admin: true });
  const res = await t.request("POST", "/api/admin/service-keys", {
    token: admin.token,
    json: { name: "client", scopes: ["usage:write"] },
  });
  const { key } = (await res.json()) as { key: string };
  client = createUsageClient({
    baseUrl: "https://tierkit.test",
    serviceKey: key,
    fetch: (input, init) => Promise.resolve(t.app.request(String(input), init)),
  });
  userId = (await t.signup()).user.id;
});
afterAll(() => t.close());

describe("createUsageClient()", () => {
  it("refuses options that cannot work", () => {
    expect(() => createUsageClient({ baseUrl: "nowhere", serviceKey: "tk_svc_x" })).toThrow(TypeError);
    expect(() => createUsageClient({ baseUrl: "https://tierkit.test", serviceKey: "eyJhbGciOi…" })).toThrow(TypeError);
  });

  it("consumes with the reset time, and reports limit_reached as allowed: false with Retry-After", async () => {
    const counted = await client.consume("messages", { userId, amount: 50, idempotencyKey: "batch-1" });
    expect(counted).toEqual({
      allowed: true,
      feature: "messages",
      userId,
      used: 50,
      limit: 50,
      remaining: 0,
      resetsAt: new Date("2025-06-02T00:00:00.000Z"),
      replayed: false,
    });
    expect(await client.consume("messages", { userId, amount: 50, idempotencyKey: "batch-1" })).toMatchObject({
      replayed: true,
      used: 50,
    });
    expect(await client.consume("messages", { userId, amount: 1 })).toEqual({
      allowed: false,
      code: "limit_reached",
      message: expect.any(String),
      retryAfterSec: 6 * 3600,
    });
  });

  it("releases a running total, and throws TierkitError for other refusals", async () => {
    await client.consume("documents", { userId, amount: 4 });
    expect(await client.release("documents", { userId, amount: 3 })).toMatchObject({
      used: 1,
      remaining: 9,
      resetsAt: null,
    });
    await expect(client.release("messages", { userId, amount: 1 })).rejects.toMatchObject({
      status: 400,
      code: "not_a_running_total",
    });
    await expect(client.consume("teleports", { userId, amount: 1 })).rejects.toBeInstanceOf(TierkitError);
  });
});
