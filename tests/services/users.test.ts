import { eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { verifyPassword } from "../../api/lib/password.ts";
import { SubscriptionError } from "../../api/services/subscriptions/index.ts";
import { createUser, EmailTakenError, ensureUser, findAccount, getTokenClaims } from "../../api/services/users.ts";
import { queryRows } from "../../db/client/types.ts";
import { users, userTiers } from "../../db/schema.ts";
import { createTestDatabase, type TestDatabase } from "../support/test-db.ts";

let database: TestDatabase;
const now = new Date("2025-03-01T08:00:00.000Z");

beforeAll(async () => {
  database = await createTestDatabase();
});
afterAll(() => database.close());

const countUsers = async () =>
  (await queryRows<{ n: number }>(database.db, sql`SELECT count(*)::int AS n FROM users`))[0]?.n;

describe("users service", () => {
  it("createUser hashes the password and starts the member subscription", async () => {
    const user = await createUser(
      database.db,
      { email: " svc@example.com ", password: "password-1", displayName: "Svc" },
      now,
    );
    expect(user).toMatchObject({
      email: "svc@example.com",
      currentTierSlug: "member",
      subscriptionId: expect.any(String),
    });
    expect(await verifyPassword("password-1", user.passwordHash)).toBe(true);
    expect(await getTokenClaims(database.db, user.id)).toEqual({
      userId: user.id,
      email: "svc@example.com",
      displayName: "Svc",
      isAdmin: false,
      tierSlug: "member",
      tierLevel: 1,
      subscriptionStatus: "active",
      ent: { messages_per_day: 50, documents: 10, storage_gb: 1, seats: 1, priority_support: false, api_access: false },
      ver: 1,
    });
    await expect(
      createUser(database.db, { email: "SVC@example.com", password: "password-2", displayName: "Dup" }, now),
    ).rejects.toBeInstanceOf(EmailTakenError);
  });

  it("createUser leaves no user behind when the member subscription cannot be created", async () => {
    const before = await countUsers();
    await database.db.update(userTiers).set({ isActive: false }).where(eq(userTiers.slug, "member"));
    try {
      await expect(
        createUser(database.db, { email: "orphan@example.com", password: "password-1", displayName: "Orphan" }, now),
      ).rejects.toBeInstanceOf(SubscriptionError);
    } finally {
      await database.db.update(userTiers).set({ isActive: true }).where(eq(userTiers.slug, "member"));
    }
    expect(await countUsers()).toBe(before);
  });

  it("ensureUser creates a missing user once and then returns the existing one", async () => {
    const input = { email: "demo-admin@example.com", password: "password-1", displayName: "Demo", isAdmin: true };
    const first = await ensureUser(database.db, input, now);
    const second = await ensureUser(
      database.db,
      { ...input, email: "DEMO-ADMIN@example.com", password: "other-pass" },
      now,
    );
    expect(second.id).toBe(first.id);
    expect(await verifyPassword("password-1", second.passwordHash)).toBe(true);
    expect(await findAccount(database.db, first.id)).toMatchObject({ isAdmin: true, tierSlug: "member", tierLevel: 1 });
    expect(await database.db.select().from(users).where(eq(users.email, "demo-admin@example.com"))).toHaveLength(1);
  });
});
