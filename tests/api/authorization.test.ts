import { eq, sql } from "drizzle-orm";
import { decodeJwt } from "jose";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createApp } from "../../api/app.ts";
import { requireAuth } from "../../api/http/middleware/auth.ts";
import { requireAdmin } from "../../api/http/middleware/require-admin.ts";
import { requireTier } from "../../api/http/middleware/require-tier.ts";
import { assignTier } from "../../api/services/subscriptions/index.ts";
import { users } from "../../db/schema.ts";
import { createTestApp, type TestApp } from "../support/test-app.ts";

let t: TestApp;
let admin: { token: string; user: { id: string } };

beforeAll(async () => {
  t = await createTestApp();
  admin = await t.signup("authz-admin@example.com", { admin: true });
});
afterAll(() => t.close());

describe("requireFeature on GET /api/features/priority-support", () => {
  it("refuses a member, whose tier's features have priority_support false, with 403 feature_required", async () => {
    const member = await t.signup();
    const res = await t.request("GET", "/api/features/priority-support", { token: member.token });
    expect(res.status).toBe(403);
    expect(await res.json()).toEqual({
      success: false,
      error: { code: "feature_required", message: expect.stringContaining("priority_support") },
    });
  });

  it("lets the same token through once an admin assigns Business, since the features are read from the database", async () => {
    const member = await t.signup();
    await assignTier(t.db, {
      adminId: admin.user.id,
      userId: member.user.id,
      tierSlug: "business",
      billingCycle: "monthly",
      reason: "support trial",
      now: t.clock.now(),
    });
    expect(decodeJwt(member.token).tier_slug).toBe("member");
    const res = await t.request("GET", "/api/features/priority-support", { token: member.token });
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ success: true, feature: "priority_support" });
  });

  it("follows the features, not the level: the same tier passes with priority_support and is refused without it", async () => {
    const member = await t.signup();
    await t.db.execute(sql`INSERT INTO user_tiers (slug, name, description, tier_level, features)
                           VALUES ('helpdesk', 'Helpdesk', 'Support only', 60, '{"priority_support": true}')`);
    await assignTier(t.db, {
      adminId: admin.user.id,
      userId: member.user.id,
      tierSlug: "helpdesk",
      billingCycle: "monthly",
      reason: "test",
      now: t.clock.now(),
    });
    await t.db.execute(sql`UPDATE user_tiers SET features = '{}' WHERE slug = 'helpdesk'`);
    const refused = await t.request("GET", "/api/features/priority-support", { token: member.token });
    expect(refused.status).toBe(403);
    await t.db.execute(sql`UPDATE user_tiers SET features = '{"priority_support": true}' WHERE slug = 'helpdesk'`);
    expect((await t.request("GET", "/api/features/priority-support", { token: member.token })).status).toBe(200);
  });

  it("needs a token", async () => {
    expect((await t.request("GET", "/api/features/priority-support")).status).toBe(401);
  });
});

describe("requireTier", () => {
  const businessOnly = () => {
    const app = createApp(t.deps);
    app.get("/test/business", requireAuth(t.deps), requireTier(3), (c) => c.json({ success: true }));
    return app;
  };

  it("refuses a member with 403 tier_required naming both tiers", async () => {
    const member = await t.signup();
    const res = await businessOnly().request("/test/business", {
      headers: { Authorization: `Bearer ${member.token}` },
    });
    expect(res.status).toBe(403);
    expect(await res.json()).toEqual({
      success: false,
      error: {
        code: "tier_required",
        message: "This feature needs the business tier or higher; you are on member.",
      },
    });
  });

  it("lets a tier at or above the level through", async () => {
    const member = await t.signup();
    await assignTier(t.db, {
      adminId: admin.user.id,
      userId: member.user.id,
      tierSlug: "elite",
      billingCycle: "monthly",
      reason: "test",
      now: t.clock.now(),
    });
    const res = await businessOnly().request("/test/business", {
      headers: { Authorization: `Bearer ${member.token}` },
    });
    expect(res.status).toBe(200);
  });
});

describe("requireAdmin", () => {
  const adminOnly = () => {
    const app = createApp(t.deps);
    app.get("/test/admin-only", requireAuth(t.deps), requireAdmin(), (c) => c.json({ success: true }));
    return app;
  };

  it("refuses a non-admin with 403 forbidden", async () => {
    const member = await t.signup();
    const res = await adminOnly().request("/test/admin-only", { headers: { Authorization: `Bearer ${member.token}` } });
    expect(res.status).toBe(403);
    expect((await res.json()).error.code).toBe("forbidden");
  });

  it("honours a right granted after the token was issued", async () => {
    const member = await t.signup();
    await t.db.update(users).set({ isAdmin: true }).where(eq(users.id, member.user.id));
    expect(decodeJwt(member.token).is_admin).toBe(false);
    const res = await adminOnly().request("/test/admin-only", { headers: { Authorization: `Bearer ${member.token}` } });
    expect(res.status).toBe(200);
  });

  it("applies a revoked right on the next request, though the token still says is_admin", async () => {
    const app = adminOnly();
    const before = await app.request("/test/admin-only", { headers: { Authorization: `Bearer ${admin.token}` } });
    expect(before.status).toBe(200);
    expect(decodeJwt(admin.token).is_admin).toBe(true);

    await t.db.update(users).set({ isAdmin: false }).where(eq(users.id, admin.user.id));
    const after = await app.request("/test/admin-only", { headers: { Authorization: `Bearer ${admin.token}` } });
    expect(after.status).toBe(403);
    const adminRoute = await t.request("GET", "/api/admin/users", { token: admin.token });
    expect(adminRoute.status).toBe(403);
  });
});
