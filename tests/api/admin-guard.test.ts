import { eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { adminGuard, CALLER_GONE_STATE, NOT_ADMIN_STATE } from "../../api/services/users.ts";
import { readBatch } from "../../db/client/reads.ts";
import { hasSqlState } from "../../db/client/sql-state.ts";
import { queryRows } from "../../db/client/types.ts";
import { users } from "../../db/schema.ts";
import { createTestApp, type TestApp } from "../support/test-app.ts";

// requireAdmin folds the rights check into an admin read's own batch (one round trip on the
// Worker); these pin down that folding it changed nothing about who is let in.
let t: TestApp;
let admin: { token: string; user: { id: string } };
let member: { token: string; user: { id: string } };

beforeAll(async () => {
  t = await createTestApp();
  admin = await t.signup("guard-admin@example.com", { admin: true });
  member = await t.signup("guard-member@example.com");
});
afterAll(() => t.close());

const adminReads = () => [
  "/api/admin/subscriptions",
  "/api/admin/subscriptions?tier_filter=pro",
  "/api/admin/subscription-stats",
  `/api/admin/subscriptions/${member.user.id}/history`,
  "/api/admin/users",
  "/api/admin/users?tier=business",
  `/api/admin/users/${member.user.id}`,
  `/api/admin/users/${member.user.id}/seats`,
  "/api/admin/service-keys",
];

async function answers(token: string) {
  const seen: string[] = [];
  for (const path of adminReads()) {
    const res = await t.request("GET", path, { token });
    const body = (await res.json()) as Record<string, unknown> & { error?: { code: string } };
    // A refusal carries nothing but the error envelope.
    const keys = Object.keys(body).sort().join(",");
    seen.push(`${path} ${res.status} ${body.error?.code ?? "ok"}${res.status >= 400 ? ` ${keys}` : ""}`);
  }
  return seen;
}

describe("requireAdmin with the check in the read's batch", () => {
  it("lets an admin read every admin list and page", async () => {
    expect(await answers(admin.token)).toEqual(adminReads().map((path) => `${path} 200 ok`));
  });

  it("refuses a member with 403 forbidden and no data on every admin read", async () => {
    expect(await answers(member.token)).toEqual(adminReads().map((path) => `${path} 403 forbidden error,success`));
  });

  it("refuses an admin whose session has ended with 401, and an admin who is gone with 401", async () => {
    const ended = await t.tokenFor(admin.user.id);
    expect((await t.request("POST", "/api/auth/logout", { token: ended })).status).toBe(200);
    expect(await answers(ended)).toEqual(adminReads().map((path) => `${path} 401 invalid_token error,success`));

    const doomed = await t.signup("guard-doomed@example.com", { admin: true });
    expect((await t.request("GET", "/api/admin/users", { token: doomed.token })).status).toBe(200);
    await t.db.delete(users).where(eq(users.id, doomed.user.id));
    expect(await answers(doomed.token)).toEqual(adminReads().map((path) => `${path} 401 invalid_token error,success`));
  });

  it("refuses a member before saying what is wrong with the request: 403, not 400 or 404", async () => {
    const paths = [
      "/api/admin/subscriptions?tier_filter=platinum",
      "/api/admin/users?limit=0",
      `/api/admin/users/${crypto.randomUUID()}`,
      `/api/admin/subscriptions/${crypto.randomUUID()}/history`,
    ];
    for (const path of paths) {
      const res = await t.request("GET", path, { token: member.token });
      expect([path, res.status, ((await res.json()) as { error: { code: string } }).error.code]).toEqual([
        path,
        403,
        "forbidden",
      ]);
    }
    // The same requests from an admin are refused for what they are.
    expect(
      (await t.request("GET", "/api/admin/subscriptions?tier_filter=platinum", { token: admin.token })).status,
    ).toBe(400);
    expect((await t.request("GET", `/api/admin/users/${crypto.randomUUID()}`, { token: admin.token })).status).toBe(
      404,
    );
  });

  it("aborts the batch at the guard: the statements after it never run", async () => {
    // A statement with an effect stands for the reads: the refused batch must leave no trace of it.
    const probe = {
      statement: sql`UPDATE users SET bio = 'read by a refused batch' WHERE id = ${member.user.id} RETURNING id`,
      decode: (rows: unknown[]) => rows.length,
    };
    const refused = async (userId: string, state: string) => {
      const error = await readBatch(t.db, [probe], [adminGuard(userId)]).catch((e: unknown) => e);
      expect(hasSqlState(error, state)).toBe(true);
    };
    await refused(member.user.id, NOT_ADMIN_STATE);
    await refused(crypto.randomUUID(), CALLER_GONE_STATE);
    const [row] = await queryRows<{ bio: string | null }>(
      t.db,
      sql`SELECT bio FROM users WHERE id = ${member.user.id}`,
    );
    expect(row?.bio).toBeNull();
    expect(await readBatch(t.db, [probe], [adminGuard(admin.user.id)])).toEqual([1]);
  });

  it("still checks a change before it runs: a member's POST creates no service key", async () => {
    const res = await t.request("POST", "/api/admin/service-keys", {
      token: member.token,
      json: { name: "sneaky", scopes: ["usage:write"] },
    });
    expect(res.status).toBe(403);
    const [keys] = await queryRows<{ n: number }>(
      t.db,
      sql`SELECT count(*)::int AS n FROM service_keys WHERE name = 'sneaky'`,
    );
    expect(keys?.n).toBe(0);
  });

  it("checks an assignment in the change's own read: a member is refused 403 (even for no such user), nothing changes", async () => {
    const assign = (token: string, userId: string, key?: string) =>
      t.request("POST", `/api/admin/subscriptions/${userId}/assign-tier`, {
        token,
        json: { tier_slug: "elite", billing_cycle: "annual", reason: "guard test" },
        headers: key ? { "Idempotency-Key": key } : undefined,
      });
    const history = async () =>
      (
        await queryRows<{ n: number }>(
          t.db,
          sql`SELECT count(*)::int AS n FROM subscription_history WHERE user_id = ${member.user.id}::uuid`,
        )
      )[0]?.n;
    const before = await history();
    const refused = await assign(member.token, member.user.id, "guard-key");
    expect([refused.status, (await refused.json()).error.code]).toEqual([403, "forbidden"]);
    // Which users exist is for admins to know: a member cannot tell a missing user from a present one.
    expect((await assign(member.token, crypto.randomUUID())).status).toBe(403);
    expect(await history()).toBe(before);
    // The refusal said who may ask, not what the change answers: it is not kept under the key.
    const [kept] = await queryRows<{ n: number }>(
      t.db,
      sql`SELECT count(*)::int AS n FROM idempotency_keys WHERE user_id = ${member.user.id}::uuid`,
    );
    expect(kept?.n).toBe(0);

    expect((await assign(admin.token, crypto.randomUUID())).status).toBe(404);
    expect((await assign(admin.token, member.user.id)).status).toBe(200);
    expect(await history()).toBe((before ?? 0) + 1);
  });

  it("checks an admin's seat removal in the change's own read: a member is refused 403 for any user", async () => {
    for (const userId of [member.user.id, crypto.randomUUID()]) {
      const res = await t.request("DELETE", `/api/admin/users/${userId}/seats/${admin.user.id}`, {
        token: member.token,
        json: { reason: "guard test" },
      });
      expect([res.status, (await res.json()).error.code]).toEqual([403, "forbidden"]);
    }
    const res = await t.request("DELETE", `/api/admin/users/${crypto.randomUUID()}/seats/${member.user.id}`, {
      token: admin.token,
      json: { reason: "guard test" },
    });
    expect(res.status).toBe(404);
  });
});
