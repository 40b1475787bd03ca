import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { and, eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { runCronOnce } from "../../api/server/run-cron-once.ts";
import { scheduleDowngrade, upgrade } from "../../api/services/subscriptions/index.ts";
import { ensureUser } from "../../api/services/users.ts";
import { type MigratableHandle, openDatabase } from "../../db/client/open.ts";
import { subscriptionHistory, users } from "../../db/schema.ts";
import { createTestDatabase, usingPostgres } from "../support/test-db.ts";

interface Target {
  options: { databaseUrl?: string; dataDir?: string };
  cleanup(): Promise<void>;
}

/** What `npm run cron` sees when DATABASE_URL is unset: the local PGlite folder. */
async function pgliteFolder(): Promise<Target> {
  const dataDir = mkdtempSync(join(tmpdir(), "tierkit-cron-"));
  return { options: { dataDir }, cleanup: async () => rmSync(dataDir, { recursive: true, force: true }) };
}

async function postgresDatabase(): Promise<Target> {
  const database = await createTestDatabase({ max: 1 });
  return { options: { databaseUrl: database.url }, cleanup: () => database.close() };
}

const targets = [
  { name: "a PGlite folder", create: pgliteFolder },
  ...(usingPostgres ? [{ name: "DATABASE_URL", create: postgresDatabase }] : []),
];

// The CLI opens its own connection, so each step here opens and closes one too (PGlite allows one).
async function withDatabase<T>(target: Target, use: (handle: MigratableHandle) => Promise<T>) {
  const handle = await openDatabase({ url: target.options.databaseUrl, dataDir: target.options.dataDir });
  try {
    return await use(handle);
  } finally {
    await handle.close();
  }
}

describe.each(targets)("runCronOnce against $name", ({ create }) => {
  it("applies a due downgrade", async () => {
    const target = await create();
    try {
      const start = new Date("2026-03-10T12:00:00Z");
      const { userId, endsAt } = await withDatabase(target, async ({ db, migrate }) => {
        await migrate();
        const user = await ensureUser(
          db,
          { email: "cron@example.com", password: "long enough", displayName: "Cron" },
          start,
        );
        await upgrade(db, { userId: user.id, tierSlug: "pro", billingCycle: "monthly", now: start });
        const change = await scheduleDowngrade(db, { userId: user.id, tierSlug: "member", now: start });
        return { userId: user.id, endsAt: change.subscription.endsAt as Date };
      });
      const afterEnd = new Date(endsAt.getTime() + 60_000);

      const result = await runCronOnce({ ...target.options, now: afterEnd });

      expect(result).toEqual({
        downgraded: 1,
        expired: 0,
        renewed: 0,
        batches: 1,
        rows: 1,
        stoppedBy: "drained",
        more: false,
        elapsedMs: expect.any(Number),
        passMs: expect.any(Number),
        graceEnded: 0,
        graceFailed: 0,
        purgedIdempotencyKeys: 0,
        purgedRateLimits: 0,
        purgedRefreshTokens: 0,
        purgedUsageWindows: 0,
      });
      await withDatabase(target, async ({ db }) => {
        const [user] = await db.select({ tier: users.currentTierSlug }).from(users).where(eq(users.id, userId));
        const downgrades = await db
          .select()
          .from(subscriptionHistory)
          .where(and(eq(subscriptionHistory.userId, userId), eq(subscriptionHistory.action, "downgraded")));
        expect(user?.tier).toBe("member");
        expect(downgrades).toMatchObject([{ fromTierSlug: "pro", toTierSlug: "member" }]);
      });
    } finally {
      await target.cleanup();
    }
  });
});
