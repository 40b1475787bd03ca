import { sql } from "drizzle-orm";
import { createMemberSubscription } from "../../api/services/subscriptions/index.ts";
import { type Database, queryRows } from "../../db/client/types.ts";
import { users } from "../../db/schema.ts";

let sequence = 0;

/** A user as signup leaves them (member subscription + history), without the HTTP layer. */
export async function createMember(db: Database, now: Date, email = `user${++sequence}-${Date.now()}@example.com`) {
  return db.transaction(async (tx) => {
    const [user] = await tx
      .insert(users)
      .values({
        email,
        displayName: email.split("@")[0] ?? email,
        passwordHash: "not-used",
        createdAt: now,
        updatedAt: now,
      })
      .returning();
    if (!user) throw new Error("no user");
    const subscription = await createMemberSubscription(tx, user.id, now);
    return { user, subscription };
  });
}

/**
 * Every row of the tables a change touches, in a stable order, so a test can assert that a refused
 * operation left the database exactly as it was.
 */
export async function snapshot(db: Database): Promise<string> {
  const tables = [
    "users",
    "user_subscriptions",
    "subscription_history",
    "idempotency_keys",
    "auth_sessions",
    "refresh_tokens",
    "payment_events",
    "seat_invitations",
    "seat_memberships",
  ];
  const parts: string[] = [];
  for (const table of tables) {
    const rows = await queryRows<{ row: unknown }>(
      db,
      sql`SELECT to_jsonb(t) AS row FROM ${sql.identifier(table)} t ORDER BY to_jsonb(t)::text`,
    );
    parts.push(`${table}:${JSON.stringify(rows.map((r) => r.row))}`);
  }
  return parts.join("\n");
}

export const at = (iso: string) => new Date(iso);
