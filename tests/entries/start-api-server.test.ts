import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { eq } from "drizzle-orm";
import { afterAll, describe, expect, it } from "vitest";
import { DEMO_MEMBER } from "../../api/server/demo-accounts.ts";
import { startApiServer } from "../../api/server/start-api-server.ts";
import { subscriptionHistory, users } from "../../db/schema.ts";
import { TEST_SIGNING_KEY } from "../support/test-app.ts";

const dataDir = mkdtempSync(join(tmpdir(), "tierkit-api-"));
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

const admin = { email: "admin@tierkit.local", password: "admin-password-for-tests" };

const start = () =>
  startApiServer({
    port: 0,
    dataDir,
    tokens: { signingKeys: [TEST_SIGNING_KEY], accessTokenTtlSeconds: 900 },
    accounts: { admin, demoMember: true },
    log: () => {},
  });

describe("startApiServer over a PGlite folder", () => {
  it("serves the tier catalog and creates the start-up accounts exactly once across two starts", async () => {
    const first = await start();
    try {
      const response = await fetch(`${first.url}/api/tiers`);
      expect(response.status).toBe(200);
      const body = (await response.json()) as { tiers: { slug: string }[] };
      expect(body.tiers.map((tier) => tier.slug)).toContain("member");
    } finally {
      await first.close();
    }

    const second = await start();
    try {
      const accounts = await second.db
        .select({ email: users.email, isAdmin: users.isAdmin, tier: users.currentTierSlug })
        .from(users)
        .orderBy(users.email);
      expect(accounts).toEqual([
        { email: admin.email, isAdmin: true, tier: "member" },
        { email: DEMO_MEMBER.email, isAdmin: false, tier: "member" },
      ]);
      const created = await second.db
        .select()
        .from(subscriptionHistory)
        .where(eq(subscriptionHistory.action, "created"));
      expect(created).toHaveLength(2);

      const login = await fetch(`${second.url}/api/auth/login`, {
        method: "POST",
        headers: { "Content-Type": "application/json" },
        body: JSON.stringify(admin),
      });
      expect(login.status).toBe(200);
      expect(((await login.json()) as { user: { is_admin: boolean } }).user.is_admin).toBe(true);
    } finally {
      await second.close();
    }
  });
});
