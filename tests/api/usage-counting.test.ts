import { sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { assign, counters, createKey, setupUsageWorld, t, use } from "../support/usage-world.ts";

// Counting: consume against the tier's limit, release of a running total, and retries by Idempotency-Key.
setupUsageWorld();

describe("POST /api/usage/{feature}/consume", () => {
  it("counts per UTC day against the current tier's limit, and the window resets at midnight", async () => {
    const member = await t.signup();
    const res = await use("consume", "messages", { user_id: member.user.id, amount: 49 });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({
      success: true,
      feature: "messages",
      user_id: member.user.id,
      used: 49,
      limit: 50,
      remaining: 1,
      resets_at: "2025-03-11T00:00:00.000Z",
    });

    const refused = await use("consume", "messages", { user_id: member.user.id, amount: 2 });
    expect(refused.status).toBe(429);
    expect(refused.headers.get("Retry-After")).toBe(String(8.5 * 3600));
    expect((await refused.json()).error).toMatchObject({ code: "limit_reached", details: [{ path: "amount" }] });
    expect(await counters(member.user.id)).toEqual([{ feature: "messages", period: "2025-03-10", used: 49 }]);

    expect((await use("consume", "messages", { user_id: member.user.id, amount: 1 })).status).toBe(200);
    expect((await use("consume", "messages", { user_id: member.user.id, amount: 1 })).status).toBe(429);

    t.clock.set("2025-03-11T00:00:00.000Z");
    try {
      const tomorrow = await use("consume", "messages", { user_id: member.user.id, amount: 1 });
      expect(await tomorrow.json()).toMatchObject({ used: 1, remaining: 49, resets_at: "2025-03-12T00:00:00.000Z" });
    } finally {
      t.clock.set("2025-03-10T15:30:00.000Z");
    }
  });

  it("never refuses an unlimited (null) limit", async () => {
    const user = await t.signup();
    await assign(user.user.id, "business");
    for (let i = 0; i < 3; i++) {
      const res = await use("consume", "messages", { user_id: user.user.id, amount: 1_000_000 });
      expect(res.status).toBe(200);
      expect(await res.json()).toMatchObject({ used: (i + 1) * 1_000_000, limit: null, remaining: null });
    }
  });

  it("applies a tier change at once: a total above a lower limit stays, further consumes wait until it is back under", async () => {
    const user = await t.signup();
    await assign(user.user.id, "pro");
    expect(await (await use("consume", "documents", { user_id: user.user.id, amount: 150 })).json()).toMatchObject({
      used: 150,
      limit: 200,
      remaining: 50,
      resets_at: null,
    });

    await assign(user.user.id, "member");
    const refused = await use("consume", "documents", { user_id: user.user.id, amount: 1 });
    expect(refused.status).toBe(429);
    expect(refused.headers.get("Retry-After")).toBeNull();
    expect(await counters(user.user.id)).toEqual([{ feature: "documents", period: "total", used: 150 }]);

    const released = await use("release", "documents", { user_id: user.user.id, amount: 141 });
    expect(await released.json()).toMatchObject({ used: 9, limit: 10, remaining: 1 });
    expect((await use("consume", "documents", { user_id: user.user.id, amount: 1 })).status).toBe(200);
    expect((await use("consume", "documents", { user_id: user.user.id, amount: 1 })).status).toBe(429);

    await assign(user.user.id, "elite");
    expect(await (await use("consume", "documents", { user_id: user.user.id, amount: 5000 })).json()).toMatchObject({
      used: 5010,
      limit: null,
    });
  });

  it("refuses a counter the user's tier does not define with 403 feature_not_included", async () => {
    const user = await t.signup();
    await t.db.execute(sql`INSERT INTO user_tiers (slug, name, description, tier_level, features)
                           VALUES ('bare', 'Bare', 'No features at all', 70, '{}')`);
    await assign(user.user.id, "bare");
    const res = await use("consume", "documents", { user_id: user.user.id, amount: 1 });
    expect(res.status).toBe(403);
    expect((await res.json()).error.code).toBe("feature_not_included");
    expect(await counters(user.user.id)).toEqual([]);
  });
});

describe("POST /api/usage/{feature}/release", () => {
  it("gives back a running total, never below zero", async () => {
    const member = await t.signup();
    await use("consume", "documents", { user_id: member.user.id, amount: 3 });
    expect(await (await use("release", "documents", { user_id: member.user.id, amount: 2 })).json()).toMatchObject({
      used: 1,
      remaining: 9,
    });
    const tooMuch = await use("release", "documents", { user_id: member.user.id, amount: 2 });
    expect(tooMuch.status).toBe(409);
    expect((await tooMuch.json()).error.code).toBe("release_exceeds_usage");
    expect(await counters(member.user.id)).toEqual([{ feature: "documents", period: "total", used: 1 }]);
  });
});

describe("Idempotency-Key on consume", () => {
  it("replays a retry without counting twice, refuses the key with another body, and saves nothing for a failed validation", async () => {
    const member = await t.signup();
    const headers = { "Idempotency-Key": "msg-42" };
    const first = await use("consume", "messages", { user_id: member.user.id, amount: 3 }, { headers });
    const retry = await use("consume", "messages", { amount: 3, user_id: member.user.id }, { headers });
    expect(retry.status).toBe(200);
    expect(retry.headers.get("Idempotent-Replayed")).toBe("true");
    expect(await retry.json()).toEqual(await first.json());
    expect(await counters(member.user.id)).toEqual([{ feature: "messages", period: "2025-03-10", used: 3 }]);

    const other = await use("consume", "messages", { user_id: member.user.id, amount: 4 }, { headers });
    expect(other.status).toBe(422);
    expect((await other.json()).error.code).toBe("idempotency_key_reused");

    const invalid = await use(
      "consume",
      "messages",
      { user_id: member.user.id, amount: 0 },
      { headers: { "Idempotency-Key": "msg-43" } },
    );
    expect(invalid.status).toBe(400);
    const valid = await use(
      "consume",
      "messages",
      { user_id: member.user.id, amount: 1 },
      { headers: { "Idempotency-Key": "msg-43" } },
    );
    expect(valid.status).toBe(200);
    expect(await counters(member.user.id)).toEqual([{ feature: "messages", period: "2025-03-10", used: 4 }]);
  });

  it("keeps keys per service: another service's identical key is its own request", async () => {
    const member = await t.signup();
    const other = await createKey("second-service");
    const headers = { "Idempotency-Key": "same-key" };
    await use("consume", "messages", { user_id: member.user.id, amount: 1 }, { headers });
    const second = await use("consume", "messages", { user_id: member.user.id, amount: 1 }, { headers, key: other });
    expect(second.headers.get("Idempotent-Replayed")).toBeNull();
    expect(await counters(member.user.id)).toEqual([{ feature: "messages", period: "2025-03-10", used: 2 }]);
  });
});
