import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createContractCheck } from "../support/contract-check.ts";
import { createTestApp, type TestApp } from "../support/test-app.ts";

let t: TestApp;
let violation: ReturnType<typeof createContractCheck>;

beforeAll(async () => {
  t = await createTestApp();
  violation = createContractCheck(t.app);
});
afterAll(() => t.close());

const json = (body: unknown, status = 200, headers: Record<string, string> = {}) =>
  new Response(JSON.stringify(body), { status, headers: { "Content-Type": "application/json", ...headers } });

const CACHE = { ETag: '"abc"', "Cache-Control": "public, max-age=300" };

describe("the contract check every API test's request goes through", () => {
  it("passes what the route declares", async () => {
    const res = await t.request("GET", "/api/tiers");
    expect(await violation("GET", "/api/tiers", res)).toBeNull();
    expect(await violation("GET", "/api/tiers", new Response(null, { status: 304, headers: CACHE }))).toBeNull();
  });

  it("fails a status the route does not declare", async () => {
    const refusal = { success: false, error: { code: "teapot", message: "No." } };
    expect(await violation("GET", "/api/tiers", json(refusal, 418))).toMatch(
      /418, a status GET \/api\/tiers does not declare/,
    );
  });

  it("fails a body its status's schema refuses: a missing field, an extra field, a wrong error shape", async () => {
    const valid = await (await t.request("GET", "/api/tiers")).json();
    const [first] = valid.tiers;
    expect(await violation("GET", "/api/tiers", json({ success: true }, 200, CACHE))).toMatch(/tiers/);
    expect(
      await violation("GET", "/api/tiers", json({ success: true, tiers: [{ ...first, secret: 1 }] }, 200, CACHE)),
    ).toMatch(/secret/);
    const oldShape = { success: false, error: { code: "internal_error", message: "x", details: { request_id: "r" } } };
    expect(await violation("GET", "/api/tiers", json(oldShape, 500))).toMatch(/details/);
  });

  it("fails missing declared headers and an answer for no route that is not the 404 envelope", async () => {
    expect(await violation("GET", "/api/tiers", json({ success: true, tiers: [] }))).toMatch(/ETag/);
    expect(await violation("GET", "/api/nowhere", json({ ok: true }))).toMatch(/no route/);
    expect(await violation("GET", "/api/nowhere", await t.request("GET", "/api/nowhere"))).toBeNull();
  });

  it("matches templated paths and methods", async () => {
    const admin = await t.signup(undefined, { admin: true });
    const res = await t.request("GET", `/api/admin/users/${admin.user.id}`, { token: admin.token });
    expect(res.status).toBe(200);
    expect(await violation("GET", `/api/admin/users/${admin.user.id}`, res)).toBeNull();
    expect(await violation("PUT", `/api/admin/users/${admin.user.id}`, json({ success: true }))).toMatch(/no route/);
  });
});
