import { exports } from "cloudflare:workers";
import { describe, expect, inject, it } from "vitest";

const tokens = inject("tokens");

async function get(path: string, token?: string, init: { method?: string } = {}) {
  const response = await exports.default.fetch(
    new Request(`https://consumer.test${path}`, {
      method: init.method ?? "GET",
      headers: token ? { Authorization: `Bearer ${token}` } : {},
    }),
  );
  return { status: response.status, headers: response.headers, body: (await response.json()) as Record<string, any> };
}

describe("the example consumer Worker inside workerd", () => {
  it("verifies a real ES256 token against the published keys and reads its claims", async () => {
    const { status, body } = await get("/api/me", tokens.member);
    expect(status).toBe(200);
    expect(body).toMatchObject({
      tier: "member",
      entitlements: { messages_per_day: 50, api_access: false },
      version: expect.any(Number),
    });
  });

  it.each([
    ["a token from another key", tokens.otherKey, "invalid_token"],
    ["an expired token", tokens.expired, "token_expired"],
    ["a token whose key was removed", tokens.removedKey, "invalid_token"],
    ["no token", undefined, "unauthorized"],
  ])("refuses %s with 401 in tierkit's envelope", async (_name, token, code) => {
    const { status, headers, body } = await get("/api/me", token);
    expect(status).toBe(401);
    expect(headers.get("WWW-Authenticate")).toMatch(/^Bearer/);
    expect(body).toEqual({ success: false, error: { code, message: expect.any(String) } });
  });

  it("gates by tier level learned from the API's catalog", async () => {
    expect((await get("/api/reports", tokens.pro)).status).toBe(200);
    const refused = await get("/api/reports", tokens.member);
    expect(refused.status).toBe(403);
    expect(refused.body.error.code).toBe("tier_required");
  });

  it("gates by the ent claim", async () => {
    expect((await get("/api/export", tokens.pro)).status).toBe(200);
    const refused = await get("/api/export", tokens.member);
    expect(refused.status).toBe(403);
    expect(refused.body.error.code).toBe("feature_required");
  });

  it("counts a message with its service key at the API", async () => {
    const first = await get("/api/messages", tokens.pro, { method: "POST" });
    const second = await get("/api/messages", tokens.pro, { method: "POST" });
    expect(first).toMatchObject({ status: 200, body: { sent: true, remaining: 499 } });
    expect(second.body.remaining).toBe(498);
  });
});
