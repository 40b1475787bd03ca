import { Hono } from "hono";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createApp } from "../../api/app.ts";
import type { AppEnv, LogEntry } from "../../api/env.ts";
import { errorHandler } from "../../api/http/errors/error-handler.ts";
import { SubscriptionError } from "../../api/services/subscriptions/index.ts";
import { openNodePostgres } from "../../db/client/node-postgres.ts";
import { openPglite } from "../../db/client/pglite.ts";
import type { Database } from "../../db/client/types.ts";
import { createTestApp, TEST_PASSWORD, type TestApp } from "../support/test-app.ts";

let t: TestApp;

beforeAll(async () => {
  t = await createTestApp();
});
afterAll(() => t.close());

const signupBody = (email: string) => JSON.stringify({ email, password: TEST_PASSWORD, display_name: "E" });

describe("request errors", () => {
  it("answers malformed JSON with 400 in our shape", async () => {
    const res = await t.request("POST", "/api/auth/login", {
      body: '{"email": "a@example.com", ',
      headers: { "Content-Type": "application/json" },
    });
    expect(res.status).toBe(400);
    expect(await res.json()).toEqual({ success: false, error: { code: "invalid_json", message: expect.any(String) } });
  });

  it("refuses a body that is not JSON with 415", async () => {
    const res = await t.request("POST", "/api/auth/signup", {
      body: "email=a@example.com&password=12345678",
      headers: { "Content-Type": "application/x-www-form-urlencoded" },
    });
    expect(res.status).toBe(415);
    expect((await res.json()).error.code).toBe("unsupported_media_type");
  });

  it("refuses bodies over 64 KB with 413, with or without Content-Length", async () => {
    const big = JSON.stringify({ email: "big@example.com", password: TEST_PASSWORD, display_name: "x".repeat(70_000) });
    const declared = await t.request("POST", "/api/auth/signup", {
      body: big,
      headers: { "Content-Type": "application/json", "Content-Length": String(big.length) },
    });
    expect(declared.status).toBe(413);
    expect((await declared.json()).error.code).toBe("payload_too_large");

    const streamed = await t.app.request("/api/auth/signup", {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: new Blob([big]).stream(),
      duplex: "half",
    } as RequestInit);
    expect(streamed.status).toBe(413);
  });

  it("answers an unknown route with a JSON 404", async () => {
    const res = await t.request("GET", "/api/nothing-here");
    expect(res.status).toBe(404);
    expect(await res.json()).toEqual({
      success: false,
      error: { code: "not_found", message: expect.stringContaining("/api/nothing-here") },
    });
  });
});

describe("every response", () => {
  it("carries X-Request-Id (ours, or a well-formed one the caller sent) and security headers", async () => {
    const generated = await t.request("GET", "/api/nothing-here");
    expect(generated.headers.get("X-Request-Id")).toMatch(/^[0-9a-f-]{36}$/);
    expect(generated.headers.get("X-Content-Type-Options")).toBe("nosniff");
    const echoed = await t.request("GET", "/api/tiers", { headers: { "X-Request-Id": "trace-123" } });
    expect(echoed.headers.get("X-Request-Id")).toBe("trace-123");
  });

  it("is logged as one structured line with method, path, status, ms and request id", async () => {
    const res = await t.request("GET", "/api/tiers", { headers: { "X-Request-Id": "log-me" } });
    const line = t.logs.find((entry) => entry.request_id === "log-me");
    expect(line).toEqual({
      level: "info",
      msg: "request",
      method: "GET",
      path: "/api/tiers",
      status: res.status,
      ms: expect.any(Number),
      request_id: "log-me",
    });
  });

  it("allows CORS for configured origins only", async () => {
    const preflight = (origin: string) =>
      t.request("OPTIONS", "/api/auth/login", {
        headers: {
          Origin: origin,
          "Access-Control-Request-Method": "POST",
          "Access-Control-Request-Headers": "content-type",
        },
      });
    expect((await preflight("http://localhost:5173")).headers.get("Access-Control-Allow-Origin")).toBe(
      "http://localhost:5173",
    );
    expect((await preflight("https://evil.example")).headers.get("Access-Control-Allow-Origin")).toBeNull();
  });
});

describe("server-side failures", () => {
  async function expectDatabaseUnavailable(db: Database) {
    const logs: LogEntry[] = [];
    const app = createApp({ ...t.deps, database: { db }, log: (entry) => logs.push(entry) });
    const res = await app.request("/api/auth/signup", {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: signupBody("outage@example.com"),
    });
    expect(res.status).toBe(503);
    expect(res.headers.get("Retry-After")).toMatch(/^\d+$/);
    expect(await res.json()).toEqual({
      success: false,
      error: { code: "database_unavailable", message: expect.any(String) },
    });
    expect(
      logs.some(
        (entry) => entry.msg === "database_unavailable" && entry.request_id === res.headers.get("X-Request-Id"),
      ),
    ).toBe(true);
  }

  it("answers 503 database_unavailable when PGlite is closed", async () => {
    const closed = await openPglite();
    await closed.close();
    await expectDatabaseUnavailable(closed.db);
  });

  it("answers 503 database_unavailable when PostgreSQL refuses connections", async () => {
    const unreachable = openNodePostgres("postgres://postgres@127.0.0.1:9/none", { connectionTimeoutMillis: 2000 });
    try {
      await expectDatabaseUnavailable(unreachable.db);
    } finally {
      await unreachable.close();
    }
  });

  it("answers anything unexpected with 500 internal_error, logged with the stack but never sending it", async () => {
    const broken = new Proxy(t.db, {
      get(target, property, receiver) {
        if (property === "select")
          return () => {
            throw new Error("secret internals");
          };
        return Reflect.get(target, property, receiver);
      },
    });
    const logs: LogEntry[] = [];
    const app = createApp({ ...t.deps, database: { db: broken }, log: (entry) => logs.push(entry) });
    const res = await app.request("/api/tiers");
    expect(res.status).toBe(500);
    const text = await res.text();
    expect(text).not.toContain("secret internals");
    expect(text).not.toContain("at ");
    const requestId = res.headers.get("X-Request-Id");
    // details is always a list of field problems; the request id travels in X-Request-Id (and the message).
    expect(JSON.parse(text)).toEqual({
      success: false,
      error: { code: "internal_error", message: `Something went wrong (request ${requestId}).` },
    });
    expect(logs).toContainEqual(
      expect.objectContaining({
        level: "error",
        request_id: requestId,
        message: "secret internals",
        stack: expect.stringContaining("secret internals"),
      }),
    );
  });

  it("keeps our JSON shape when a driver rejects with something that is not an Error", async () => {
    const throwing = (value: unknown) =>
      createApp({
        ...t.deps,
        database: {
          db: new Proxy(t.db, {
            get(target, property, receiver) {
              if (property === "select")
                return () => {
                  throw value;
                };
              return Reflect.get(target, property, receiver);
            },
          }),
        },
        log: () => {},
      });
    const socketEvent = { type: "error", target: { url: "wss://db.example/v2" } };
    const outage = await throwing(socketEvent).request("/api/tiers");
    expect(outage.status).toBe(503);
    expect((await outage.json()).error.code).toBe("database_unavailable");
    const odd = await throwing("a string").request("/api/tiers");
    expect(odd.status).toBe(500);
    expect((await odd.json()).error.code).toBe("internal_error");
  });

  it("maps the subscription service's refusals by kind", async () => {
    const app = new Hono<AppEnv>().onError(errorHandler(() => {})).get("/:code", (c) => {
      throw new SubscriptionError(c.req.param("code") as "tier_not_found", "refused");
    });
    for (const [code, status] of [
      ["invalid_billing_cycle", 400],
      ["tier_not_found", 404],
      ["not_an_upgrade", 409],
    ] as const) {
      const res = await app.request(`/${code}`);
      expect(res.status).toBe(status);
      expect(await res.json()).toEqual({ success: false, error: { code, message: "refused" } });
    }
  });
});
