import { and, eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { acceptInvitation, invite, SeatError } from "../../api/services/seats/index.ts";
import { scheduleDowngrade, upgrade } from "../../api/services/subscriptions/index.ts";
import { queryRows } from "../../db/client/types.ts";
import { subscriptionHistory } from "../../db/schema.ts";
import { at, createMember } from "../support/fixtures.ts";
import { createTestDatabase, type TestDatabase, usingPostgres } from "../support/test-db.ts";

// On PostgreSQL these calls race on separate connections (the point: a count(*) check alone would
// let several through); on PGlite they queue on its one connection.
let handle: TestDatabase;
beforeAll(async () => {
  handle = await createTestDatabase({ max: 30 });
  // Open the pool's connections up front, so the racing calls start together instead of queueing on connects.
  await Promise.all(Array.from({ length: 12 }, () => handle.db.execute(sql`SELECT pg_sleep(0.05)`)));
});
afterAll(() => handle.close());

const now = at("2025-03-01T00:00:00.000Z");

const pendingOf = async (ownerId: string) =>
  (
    await queryRows<{ n: number }>(
      handle.db,
      sql`SELECT count(*)::int AS n FROM seat_invitations WHERE owner_id = ${ownerId}::uuid AND accepted_at IS NULL AND revoked_at IS NULL`,
    )
  )[0]?.n;

describe(`concurrent seat changes (${usingPostgres ? "PostgreSQL" : "PGlite"})`, () => {
  it("with one seat free, 10 concurrent invitations succeed exactly once", async () => {
    const { user: owner } = await createMember(handle.db, now);
    await upgrade(handle.db, { userId: owner.id, tierSlug: "business", billingCycle: "monthly", now });
    for (let i = 0; i < 3; i += 1)
      await invite(handle.db, { ownerId: owner.id, email: `early${i}-${owner.id}@example.com`, now });

    const results = await Promise.allSettled(
      Array.from({ length: 10 }, (_, i) =>
        invite(handle.db, { ownerId: owner.id, email: `race${i}-${owner.id}@example.com`, now }),
      ),
    );
    const refused = results.filter((r) => r.status === "rejected");
    expect(results.length - refused.length).toBe(1);
    for (const r of refused) expect(r.reason).toMatchObject({ code: "seats_full" });
    expect(refused[0]?.reason).toBeInstanceOf(SeatError);
    expect(await pendingOf(owner.id)).toBe(4);
  });

  it("10 concurrent accepts of one invitation join once, with one history row each side", async () => {
    const { user: owner } = await createMember(handle.db, now);
    await upgrade(handle.db, { userId: owner.id, tierSlug: "family", billingCycle: "monthly", now });
    const { user: member } = await createMember(handle.db, now);
    const { token } = await invite(handle.db, { ownerId: owner.id, email: member.email, now });

    const results = await Promise.allSettled(
      Array.from({ length: 10 }, () => acceptInvitation(handle.db, { token, userId: member.id, now })),
    );
    const refused = results.filter((r) => r.status === "rejected");
    expect(results.length - refused.length).toBe(1);
    for (const r of refused) expect(r.reason).toMatchObject({ code: "invitation_used" });
    const seats = await queryRows<{ n: number }>(
      handle.db,
      sql`SELECT count(*)::int AS n FROM seat_memberships WHERE owner_id = ${owner.id}::uuid`,
    );
    expect(seats[0]?.n).toBe(1);
    for (const userId of [owner.id, member.id]) {
      const joined = await handle.db
        .select()
        .from(subscriptionHistory)
        .where(and(eq(subscriptionHistory.userId, userId), eq(subscriptionHistory.action, "seat_joined")));
      expect(joined).toHaveLength(1);
    }
  });

  it("a downgrade to one seat racing invitations: never both (the change re-checks seats after its lock)", async () => {
    for (let round = 0; round < 5; round += 1) {
      const { user: owner } = await createMember(handle.db, now);
      await upgrade(handle.db, { userId: owner.id, tierSlug: "family", billingCycle: "monthly", now });
      const [downgrade, ...invites] = await Promise.allSettled([
        scheduleDowngrade(handle.db, { userId: owner.id, tierSlug: "pro", now }),
        ...Array.from({ length: 3 }, (_, i) =>
          invite(handle.db, { ownerId: owner.id, email: `d${round}-${i}-${owner.id}@example.com`, now }),
        ),
      ]);
      const invited = invites.filter((r) => r.status === "fulfilled").length;
      if (downgrade?.status === "fulfilled") expect(invited).toBe(0);
      else {
        expect(downgrade?.reason).toMatchObject({ code: "seats_in_use" });
        expect(invited).toBeGreaterThan(0);
      }
      expect(await pendingOf(owner.id)).toBe(invited);
    }
  });
});
