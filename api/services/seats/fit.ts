// Seats follow the owner's plan: what the lifecycle calls where an owner's tier changes or their
// access ends, inside the lifecycle's own transaction (which already holds the owner's row lock).
import { sql } from "drizzle-orm";
import { type Database, queryRows } from "../../../db/client/types.ts";
import type { Tier } from "../../../db/schema.ts";
import { SeatError } from "./errors.ts";
import { recordSeatHistory, type SeatRecord } from "./history.ts";
import { readPlan, seatsOf } from "./plan.ts";

/** An owner's seats in use besides their own, as a lifecycle change read them (plan.ts, seatsInUse). */
export interface SeatUse {
  members: number;
  pending: number;
}

/**
 * A user's own upgrade or scheduled downgrade must keep a seat for everyone who holds or is promised
 * one; the owner removes members (or revokes invitations) first.
 */
export function assertSeatsFit(use: SeatUse, target: Pick<Tier, "name" | "features">): void {
  const used = 1 + use.members + use.pending;
  const seats = seatsOf(target);
  if (used <= seats) return;
  const excess = used - seats;
  throw new SeatError(
    "seats_in_use",
    `${target.name} has ${seats} seat${seats === 1 ? "" : "s"} and ${used} are in use: remove ${excess} member${excess === 1 ? "" : "s"} or invitation${excess === 1 ? "" : "s"} first.`,
    [
      {
        path: "seats",
        message: `Remove ${excess} of ${use.members} members and ${use.pending} pending invitations.`,
      },
    ],
  );
}

/** Why seats are being taken away, for the history rows. */
export interface SeatCut {
  ownerId: string;
  /** The shared plan's tier before the change. */
  formerTierSlug: string;
  changedByUserId?: string | null;
  isAdminAction?: boolean;
  reason?: string | null;
}

/**
 * Brings each owner's seats within what their plan now holds: pending invitations go first (newest
 * first), then the newest members, each with history rows for the owner and the member. An owner
 * whose access ended keeps only their own seat, so every member goes. Runs in the caller's
 * transaction, which holds the owners' row locks.
 */
export async function fitSeats(tx: Database, cuts: SeatCut[], now: Date): Promise<number> {
  if (!cuts.length) return 0;
  const owners = await queryRows<{ owner_id: string }>(
    tx,
    sql`SELECT DISTINCT owner_id FROM (
          SELECT owner_id FROM seat_memberships UNION ALL
          SELECT owner_id FROM seat_invitations WHERE accepted_at IS NULL AND revoked_at IS NULL
        ) o WHERE owner_id IN (SELECT jsonb_array_elements_text(${JSON.stringify(cuts.map((c) => c.ownerId))}::jsonb)::uuid)`,
  );
  let removed = 0;
  for (const { owner_id: ownerId } of owners) {
    const cut = cuts.find((c) => c.ownerId === ownerId);
    const plan = await readPlan(tx, ownerId, now);
    if (!cut || !plan) continue;
    const excess = plan.used - plan.seats;
    if (plan.seats > 1 && excess <= 0) continue;
    removed += await cutSeats(tx, cut, plan.seats, excess, now);
  }
  return removed;
}

/**
 * A plan that still shares loses `excess` seats; one that no longer does (one seat) loses every
 * member and every open invitation, expired ones too, so no old link can be accepted later.
 */
async function cutSeats(tx: Database, cut: SeatCut, seats: number, excess: number, now: Date): Promise<number> {
  const iso = now.toISOString();
  const everything = seats <= 1;
  const revoked = await queryRows<{ email: string; was_pending: boolean }>(
    tx,
    sql`UPDATE seat_invitations SET revoked_at = ${iso}::timestamptz
        WHERE id IN (SELECT id FROM seat_invitations
                     WHERE owner_id = ${cut.ownerId}::uuid AND accepted_at IS NULL AND revoked_at IS NULL
                       AND (${everything}::boolean OR expires_at > ${iso}::timestamptz)
                     ORDER BY created_at DESC, id DESC LIMIT ${everything ? null : excess}::int)
        RETURNING email, expires_at > ${iso}::timestamptz AS was_pending`,
  );
  const stillOver = excess - revoked.filter((row) => row.was_pending).length;
  const members = await queryRows<{ member_id: string; email: string }>(
    tx,
    sql`DELETE FROM seat_memberships m USING users u
        WHERE u.id = m.member_id
          AND m.member_id IN (SELECT member_id FROM seat_memberships WHERE owner_id = ${cut.ownerId}::uuid
                              ORDER BY joined_at DESC, member_id DESC LIMIT ${everything ? null : Math.max(0, stillOver)}::int)
        RETURNING m.member_id, u.email`,
  );
  const because = everything ? "the plan no longer shares seats" : `the plan now has ${seats} seats`;
  const why = cut.reason ? `${because} (${cut.reason})` : because;
  const common = {
    action: "seat_removed",
    seatTierSlug: cut.formerTierSlug,
    changedByUserId: cut.changedByUserId ?? null,
    isAdminAction: cut.isAdminAction ?? false,
  } as const;
  const records: SeatRecord[] = [
    ...members.flatMap(({ member_id, email }) => [
      { ...common, userId: member_id, reason: `Seat removed: ${why}` },
      { ...common, userId: cut.ownerId, reason: `${email} removed: ${why}` },
    ]),
    ...revoked.map(({ email }) => ({
      ...common,
      userId: cut.ownerId,
      reason: `Invitation for ${email} withdrawn: ${why}`,
    })),
  ];
  await recordSeatHistory(tx, records, now);
  return members.length;
}

/** fitSeats for the cron: the owners of the subscription rows that just ended, each with its old tier. */
export async function fitSeatsOfEnded(tx: Database, endedSubscriptionIds: string[], now: Date): Promise<number> {
  if (!endedSubscriptionIds.length) return 0;
  const ended = await queryRows<{ user_id: string; tier_slug: string }>(
    tx,
    sql`SELECT user_id, tier_slug FROM user_subscriptions
        WHERE id IN (SELECT jsonb_array_elements_text(${JSON.stringify(endedSubscriptionIds)}::jsonb)::uuid)`,
  );
  return fitSeats(
    tx,
    ended.map((row) => ({ ownerId: row.user_id, formerTierSlug: row.tier_slug })),
    now,
  );
}
