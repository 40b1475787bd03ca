import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { serviceKeys } from "../../db/schema.ts";
import { admin, counters, createKey, setupUsageWorld, t, use } from "../support/usage-world.ts";

setupUsageWorld();

describe("service keys", () => {
  it("answers the key once, stores only its hash, and lists keys without secrets", async () => {
    const res = await t.request("POST", "/api/admin/service-keys", {
      token: admin.token,
      json: { name: "docs-service", scopes: ["usage:write"] },
    });
    expect(res.status).toBe(201);
    const body = (await res.json()) as {
      key: string;
      service_key: { id: string; key_prefix: string; revoked_at: null };
    };
    expect(body.key).toMatch(/^tk_svc_[A-Za-z0-9_-]{43}$/);
    expect(body.key.startsWith(body.service_key.key_prefix)).toBe(true);

    const [row] = await t.db.select().from(serviceKeys).where(eq(serviceKeys.id, body.service_key.id));
    expect(row?.keyHash).toMatch(/^[0-9a-f]{64}$/);
    expect(JSON.stringify(row)).not.toContain(body.key);

    const list = await t.request("GET", "/api/admin/service-keys", { token: admin.token });
    const text = await list.text();
    expect(list.status).toBe(200);
    expect(text).toContain(body.service_key.id);
    expect(text).not.toContain(body.key);
    expect(text).not.toContain(row?.keyHash);
  });

  it("is for admins only, and refuses unknown scopes and empty names", async () => {
    const member = await t.signup();
    expect(
      (
        await t.request("POST", "/api/admin/service-keys", {
          token: member.token,
          json: { name: "x", scopes: ["usage:write"] },
        })
      ).status,
    ).toBe(403);
    expect((await t.request("GET", "/api/admin/service-keys", { token: member.token })).status).toBe(403);
    for (const json of [
      { name: "x", scopes: ["admin"] },
      { name: "x", scopes: [] },
      { name: " ", scopes: ["usage:write"] },
      { name: "x" },
    ]) {
      const res = await t.request("POST", "/api/admin/service-keys", { token: admin.token, json });
      expect(res.status, JSON.stringify(json)).toBe(400);
      expect((await res.json()).error.code).toBe("validation_error");
    }
  });

  it("revokes a key so that it stops working at once; an unknown id is 404", async () => {
    const key = await createKey("short-lived");
    const member = await t.signup();
    expect((await use("consume", "messages", { user_id: member.user.id, amount: 1 }, { key })).status).toBe(200);
    const [listed] = await t.db
      .select({ id: serviceKeys.id })
      .from(serviceKeys)
      .where(eq(serviceKeys.name, "short-lived"));

    const revoked = await t.request("DELETE", `/api/admin/service-keys/${listed?.id}`, { token: admin.token });
    expect(revoked.status).toBe(200);
    expect((await revoked.json()).service_key.revoked_at).toBe(t.clock.now().toISOString());

    const refused = await use("consume", "messages", { user_id: member.user.id, amount: 1 }, { key });
    expect(refused.status).toBe(401);
    expect((await refused.json()).error.code).toBe("invalid_service_key");
    expect(await counters(member.user.id)).toEqual([{ feature: "messages", period: "2025-03-10", used: 1 }]);

    const unknown = await t.request("DELETE", "/api/admin/service-keys/00000000-0000-4000-8000-000000000000", {
      token: admin.token,
    });
    expect(unknown.status).toBe(404);
  });
});
