import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createApp } from "../../api/app.ts";
import type { Database } from "../../db/client/types.ts";
import { createTestApp, type TestApp } from "../support/test-app.ts";

let t: TestApp;

beforeAll(async () => {
  t = await createTestApp();
});
afterAll(() => t.close());

const QUERY_METHODS = new Set([
  "select",
  "selectDistinct",
  "insert",
  "update",
  "delete",
  "execute",
  "transaction",
  "with",
  "$count",
]);

/** The same database, counting every query builder or statement the app starts on it. */
function countingDatabase(db: Database) {
  const counter = { queries: 0 };
  const proxy = new Proxy(db, {
    get(target, property, receiver) {
      const value = Reflect.get(target, property, receiver);
      if (property === "query") counter.queries += 1;
      if (typeof value === "function" && QUERY_METHODS.has(String(property))) {
        return (...args: unknown[]) => {
          counter.queries += 1;
          return (value as (...a: unknown[]) => unknown).apply(target, args);
        };
      }
      return value;
    },
  });
  return { db: proxy, counter };
}

describe("GET /api/tiers", () => {
  it("lists the five active tiers by level, publicly", async () => {
    const res = await t.request("GET", "/api/tiers");
    expect(res.status).toBe(200);
    const body = await res.json();
    expect(body.success).toBe(true);
    expect(body.tiers.map((tier: { slug: string }) => tier.slug)).toEqual([
      "member",
      "pro",
      "business",
      "elite",
      "family",
    ]);
    expect(body.tiers[1]).toEqual({
      slug: "pro",
      name: "Pro",
      description: expect.any(String),
      tier_level: 2,
      monthly_price_cents: 999,
      annual_price_cents: 9990,
      is_active: true,
      is_paid: true,
      features: {
        messages_per_day: 500,
        documents: 200,
        storage_gb: 10,
        seats: 1,
        priority_support: false,
        api_access: true,
      },
    });
  });

  it("sends a strong ETag with Cache-Control and answers If-None-Match with 304", async () => {
    const first = await t.request("GET", "/api/tiers");
    const etag = first.headers.get("ETag");
    expect(etag).toMatch(/^"[0-9a-f]+"$/);
    expect(first.headers.get("Cache-Control")).toBe("public, max-age=300");

    const again = await t.request("GET", "/api/tiers", { headers: { "If-None-Match": etag as string } });
    expect(again.status).toBe(304);
    expect(await again.text()).toBe("");
    expect(again.headers.get("ETag")).toBe(etag);
    expect(again.headers.get("X-Request-Id")).toBeTruthy();

    const listed = await t.request("GET", "/api/tiers", { headers: { "If-None-Match": `"other", ${etag}` } });
    expect(listed.status).toBe(304);
    const stale = await t.request("GET", "/api/tiers", { headers: { "If-None-Match": '"stale"' } });
    expect(stale.status).toBe(200);
  });

  it("answers a warm request without any database query until the cache expires", async () => {
    const { db, counter } = countingDatabase(t.db);
    const app = createApp({ ...t.deps, database: { db } });

    expect((await app.request("/api/tiers")).status).toBe(200);
    const afterCold = counter.queries;
    expect(afterCold).toBeGreaterThan(0);

    t.clock.advance({ minutes: 4 });
    const warm = await app.request("/api/tiers");
    expect(warm.status).toBe(200);
    expect((await warm.json()).tiers).toHaveLength(5);
    expect(counter.queries).toBe(afterCold);

    t.clock.advance({ minutes: 2 });
    expect((await app.request("/api/tiers")).status).toBe(200);
    expect(counter.queries).toBeGreaterThan(afterCold);
  });
});
