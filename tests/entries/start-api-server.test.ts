import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { eq } from "drizzle-orm";
import { afterAll, describe, expect, it } from "vitest";
import type { LogEntry } from "../../api/env.ts";
import { securityHeaderList } from "../../api/http/middleware/response-headers.ts";
import { DEMO_MEMBER } from "../../api/server/demo-accounts.ts";
import { startApiServer } from "../../api/server/start-api-server.ts";
import { subscriptionHistory, users } from "../../db/schema.ts";
import { createTestApp, TEST_SIGNING_KEY } from "../support/test-app.ts";

const dataDir = mkdtempSync(join(tmpdir(), "tierkit-api-"));
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

const admin = { email: "admin@tierkit.local", password: "admin-password-for-tests" };

const start = (options: { log?: (entry: LogEntry) => void; logRequests?: boolean } = {}) =>
  startApiServer({
    port: 0,
    dataDir,
    tokens: { signingKeys: [TEST_SIGNING_KEY], accessTokenTtlSeconds: 900 },
    accounts: { admin, demoMember: true },
    log: () => {},
    ...options,
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

  it("sends the security headers the app's middleware sends elsewhere, on answers of every kind", async () => {
    const list = await securityHeaderList();
    expect(list).toContainEqual(["x-content-type-options", "nosniff"]);
    expect(list).toContainEqual(["strict-transport-security", "max-age=15552000; includeSubDomains"]);
    const server = await start();
    const elsewhere = await createTestApp();
    try {
      const pick = (res: Response) => list.map(([name]) => [name, res.headers.get(name)]);
      for (const [path, status] of [
        ["/api/tiers", 200],
        ["/api/nothing-here", 404],
        ["/api/user/subscription", 401],
      ] as const) {
        const onNode = await fetch(`${server.url}${path}`);
        expect(onNode.status, path).toBe(status);
        expect(pick(onNode), path).toEqual(list);
        expect(pick(onNode), path).toEqual(pick(await elsewhere.request("GET", path)));
        expect(onNode.headers.get("x-request-id"), path).toMatch(/^[0-9a-f-]{36}$/);
      }
    } finally {
      await server.close();
      await elsewhere.close();
    }
  });

  it("names each request as the app does elsewhere: a plain X-Request-Id is kept, anything else replaced", async () => {
    const logs: LogEntry[] = [];
    const server = await start({ log: (entry) => logs.push(entry), logRequests: true });
    try {
      const idOf = async (sent?: string) => {
        const res = await fetch(`${server.url}/api/tiers`, { headers: sent ? { "X-Request-Id": sent } : {} });
        const id = res.headers.get("x-request-id");
        expect(logs.find((entry) => entry.msg === "request" && entry.request_id === id)).toMatchObject({ status: 200 });
        return id;
      };
      expect(await idOf("trace-node=1")).toBe("trace-node=1");
      for (const sent of [undefined, "not plain!", "x".repeat(256)])
        expect(await idOf(sent)).toMatch(/^[0-9a-f-]{36}$/);
    } finally {
      await server.close();
    }
  });
});
