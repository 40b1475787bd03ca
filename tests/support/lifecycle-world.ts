import { eq } from "drizzle-orm";
import { afterAll, beforeAll, expect } from "vitest";
import { ServiceError } from "../../api/services/service-error.ts";
import { subscriptionHistory, userSubscriptions, users } from "../../db/schema.ts";
import { at, snapshot } from "./fixtures.ts";
import { createTestDatabase, type TestDatabase } from "./test-db.ts";

/** The test file's database, opened by setupLifecycleDatabase's beforeAll (an ESM live binding). */
export let handle: TestDatabase;

/** A fresh migrated database for the test file, closed after its last test. */
export function setupLifecycleDatabase(): void {
  beforeAll(async () => {
    handle = await createTestDatabase();
  });
  afterAll(() => handle.close());
}

export const t0 = at("2025-01-31T10:00:00.000Z");

export async function rowsOf(userId: string) {
  const db = handle.db;
  const subs = await db.select().from(userSubscriptions).where(eq(userSubscriptions.userId, userId));
  const history = await db
    .select()
    .from(subscriptionHistory)
    .where(eq(subscriptionHistory.userId, userId))
    .orderBy(subscriptionHistory.createdAt);
  const [user] = await db.select().from(users).where(eq(users.id, userId));
  const current = subs.filter((s) => s.status === "active" || s.status === "cancelled");
  return { subs, history, user: user!, current };
}

/** Asserts that `operation` is refused with `code` and leaves every row as it was. */
export async function expectRefused(operation: () => Promise<unknown>, code: string) {
  const before = await snapshot(handle.db);
  const error = await operation().then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(ServiceError);
  expect((error as ServiceError).code).toBe(code);
  expect(await snapshot(handle.db)).toBe(before);
}
