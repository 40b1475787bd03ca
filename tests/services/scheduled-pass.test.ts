import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadTokenKeys } from "../../api/lib/tokens/signing-keys.ts";
import { runScheduledPass } from "../../api/services/scheduled-pass.ts";
import { rotateRefreshToken, startSession } from "../../api/services/sessions/sessions.ts";
import { cancel, upgrade } from "../../api/services/subscriptions/index.ts";
import { authSessions, idempotencyKeys, rateLimits, refreshTokens, usageCounters, users } from "../../db/schema.ts";
import { at, createMember } from "../support/fixtures.ts";
import { TEST_SIGNING_KEY } from "../support/test-app.ts";
import { createTestDatabase, type TestDatabase } from "../support/test-db.ts";

let handle: TestDatabase;
beforeAll(async () => {
  handle = await createTestDatabase();
});
afterAll(() => handle.close());

describe("runScheduledPass", () => {
  it("applies due changes and drops only replay records, rate-limit windows and per-day usage windows that can no longer matter", async () => {
    const now = at("2025-03-10T12:00:00.000Z");
    const { user } = await createMember(handle.db, at("2025-01-01T00:00:00Z"));
    await upgrade(handle.db, {
      userId: user.id,
      tierSlug: "pro",
      billingCycle: "monthly",
      now: at("2025-01-01T00:00:00Z"),
    });
    await cancel(handle.db, { userId: user.id, now: at("2025-01-02T00:00:00Z") });
    const stored = { userId: user.id, requestHash: "h", statusCode: 200, responseBody: {} };
    await handle.db.insert(idempotencyKeys).values([
      { ...stored, key: "old", createdAt: at("2025-03-09T11:59:59.000Z") },
      { ...stored, key: "fresh", createdAt: at("2025-03-09T12:00:01.000Z") },
    ]);
    await handle.db.insert(rateLimits).values([
      { key: "login:ip:old", windowStart: at("2025-03-10T10:00:00.000Z"), hits: 3 },
      { key: "login:ip:fresh", windowStart: at("2025-03-10T11:59:00.000Z"), hits: 3 },
    ]);
    const usage = { userId: user.id, feature: "messages", used: 5, updatedAt: now };
    await handle.db.insert(usageCounters).values([
      { ...usage, period: "2025-02-02" },
      { ...usage, period: "2025-02-03" },
      { ...usage, period: "2025-03-10" },
      { ...usage, feature: "documents", period: "total" },
    ]);

    const result = await runScheduledPass(handle.db, { now });
    expect(result).toMatchObject({
      expired: 1,
      rows: 1,
      stoppedBy: "drained",
      purgedIdempotencyKeys: 1,
      purgedRateLimits: 1,
      purgedUsageWindows: 1,
    });
    expect(
      (await handle.db.select({ period: usageCounters.period }).from(usageCounters)).map((r) => r.period).sort(),
    ).toEqual(["2025-02-03", "2025-03-10", "total"]);
    expect((await handle.db.select({ key: idempotencyKeys.key }).from(idempotencyKeys)).map((r) => r.key)).toEqual([
      "fresh",
    ]);
    expect((await handle.db.select({ key: rateLimits.key }).from(rateLimits)).map((r) => r.key)).toEqual([
      "login:ip:fresh",
    ]);
    const [row] = await handle.db.select({ tier: users.currentTierSlug }).from(users);
    expect(row?.tier).toBe("member");
  });

  it("drops expired refresh tokens, and the sessions left with none", async () => {
    const keys = await loadTokenKeys({ signingKeys: [TEST_SIGNING_KEY] });
    const { user } = await createMember(handle.db, at("2025-01-01T00:00:00Z"));
    const idle = await startSession(handle.db, user.id, at("2025-01-01T00:00:00Z"));
    const active = await startSession(handle.db, user.id, at("2025-01-01T00:00:00Z"));
    // The active session rotated on Jan 20: its old token expires with the idle one, its successor lives on.
    await rotateRefreshToken(handle.db, keys, active.refreshToken, at("2025-01-20T00:00:00Z"));

    const result = await runScheduledPass(handle.db, { now: at("2025-02-01T00:00:00Z") });
    expect(result.purgedRefreshTokens).toBe(2);
    const sessions = (await handle.db.select({ id: authSessions.id }).from(authSessions)).map((row) => row.id);
    expect(sessions).toContain(active.sessionId);
    expect(sessions).not.toContain(idle.sessionId);
    expect(await handle.db.select().from(refreshTokens)).toHaveLength(1);
  });
});
