import { eq, sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { queryRows } from "../../db/client/types.ts";
import { serviceKeys } from "../../db/schema.ts";
import { counters, createKey, serviceKey, setupUsageWorld, t, use } from "../support/usage-world.ts";

setupUsageWorld();

describe("bad input to the usage endpoints: a 4xx in the envelope, nothing counted", () => {
  const allCounters = () => queryRows(t.db, sql`SELECT * FROM usage_counters ORDER BY user_id, feature, period`);

  it.each([
    [
      "a user's token",
      "consume",
      "messages",
      (id: string) => ({ user_id: id, amount: 1 }),
      "user",
      401,
      "service_key_required",
    ],
    ["no credential", "consume", "messages", (id: string) => ({ user_id: id, amount: 1 }), "none", 401, "unauthorized"],
    [
      "an unknown service key",
      "consume",
      "messages",
      (id: string) => ({ user_id: id, amount: 1 }),
      "tk_svc_nope",
      401,
      "invalid_service_key",
    ],
    [
      "a negative amount",
      "consume",
      "messages",
      (id: string) => ({ user_id: id, amount: -5 }),
      "service",
      400,
      "validation_error",
    ],
    [
      "a zero amount",
      "consume",
      "documents",
      (id: string) => ({ user_id: id, amount: 0 }),
      "service",
      400,
      "validation_error",
    ],
    [
      "a fractional amount",
      "consume",
      "messages",
      (id: string) => ({ user_id: id, amount: 1.5 }),
      "service",
      400,
      "validation_error",
    ],
    [
      "a huge amount",
      "consume",
      "messages",
      (id: string) => ({ user_id: id, amount: 1e300 }),
      "service",
      400,
      "validation_error",
    ],
    [
      "an amount as a string",
      "consume",
      "messages",
      (id: string) => ({ user_id: id, amount: "1" }),
      "service",
      400,
      "validation_error",
    ],
    [
      "an extra field",
      "consume",
      "messages",
      (id: string) => ({ user_id: id, amount: 1, tier: "elite" }),
      "service",
      400,
      "validation_error",
    ],
    [
      "a malformed user id",
      "consume",
      "messages",
      () => ({ user_id: "me", amount: 1 }),
      "service",
      400,
      "validation_error",
    ],
    [
      "an unknown feature",
      "consume",
      "teleports",
      (id: string) => ({ user_id: id, amount: 1 }),
      "service",
      404,
      "unknown_feature",
    ],
    [
      "a flag, which is not counted",
      "consume",
      "api_access",
      (id: string) => ({ user_id: id, amount: 1 }),
      "service",
      404,
      "unknown_feature",
    ],
    [
      "a malformed feature",
      "consume",
      "Robert');DROP",
      (id: string) => ({ user_id: id, amount: 1 }),
      "service",
      400,
      "validation_error",
    ],
    [
      "an unknown user",
      "consume",
      "messages",
      () => ({ user_id: "00000000-0000-4000-8000-000000000000", amount: 1 }),
      "service",
      404,
      "user_not_found",
    ],
    [
      "release of a daily feature",
      "release",
      "messages",
      (id: string) => ({ user_id: id, amount: 1 }),
      "service",
      400,
      "not_a_running_total",
    ],
    [
      "release with a user's token",
      "release",
      "documents",
      (id: string) => ({ user_id: id, amount: 1 }),
      "user",
      401,
      "service_key_required",
    ],
    [
      "release of an unknown user",
      "release",
      "documents",
      () => ({ user_id: "00000000-0000-4000-8000-000000000000", amount: 1 }),
      "service",
      404,
      "user_not_found",
    ],
  ] as const)("%s", async (_name, action, feature, body, credential, status, code) => {
    const member = await t.signup();
    await use("consume", "documents", { user_id: member.user.id, amount: 2 });
    const before = await allCounters();
    const key =
      credential === "service"
        ? serviceKey
        : credential === "user"
          ? member.token
          : credential === "none"
            ? ""
            : credential;
    const res = await t.request("POST", `/api/usage/${encodeURIComponent(feature)}/${action}`, {
      json: body(member.user.id),
      headers: key ? { Authorization: `Bearer ${key}` } : {},
    });
    expect(res.status).toBe(status);
    expect(await res.json()).toEqual({
      success: false,
      error: expect.objectContaining({ code, message: expect.any(String) }),
    });
    expect(await allCounters()).toEqual(before);
  });

  it("accepts nothing but the key itself: not its stored hash, its prefix, or a changed character", async () => {
    const member = await t.signup();
    const [row] = await t.db
      .select({ hash: serviceKeys.keyHash, prefix: serviceKeys.keyPrefix })
      .from(serviceKeys)
      .where(eq(serviceKeys.name, "chat-service"));
    const flipped = `${serviceKey.slice(0, -1)}${serviceKey.endsWith("A") ? "B" : "A"}`;
    for (const credential of [row?.hash, `tk_svc_${row?.hash}`, row?.prefix, flipped, serviceKey.toUpperCase()]) {
      const res = await t.request("POST", "/api/usage/messages/consume", {
        json: { user_id: member.user.id, amount: 1 },
        headers: { Authorization: `Bearer ${credential}` },
      });
      expect(res.status, String(credential)).toBe(401);
    }
    expect(await counters(member.user.id)).toEqual([]);
  });

  it("refuses a revoked key", async () => {
    const key = await createKey("to-revoke");
    await t.db.update(serviceKeys).set({ revokedAt: t.clock.now() }).where(eq(serviceKeys.name, "to-revoke"));
    const member = await t.signup();
    const res = await use("consume", "messages", { user_id: member.user.id, amount: 1 }, { key });
    expect(res.status).toBe(401);
    expect(await counters(member.user.id)).toEqual([]);
  });
});
