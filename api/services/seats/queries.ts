// Read-only views of seats: the owner's page, a member's seat, the admin's user page.
import { and, asc, desc, eq, gt, inArray, isNull, sql } from "drizzle-orm";
import { alias } from "drizzle-orm/pg-core";
import { type Database, queryRows } from "../../../db/client/types.ts";
import {
  seatInvitations,
  seatMemberships,
  type Tier,
  userSubscriptions,
  users,
  userTiers,
} from "../../../db/schema.ts";
import { callerGone } from "../service-error.ts";
import { liveSession } from "../sessions/live-session.ts";
import { prepared } from "../subscriptions/prepared.ts";
import { CURRENT_STATUSES, type SubscriptionWithTier } from "../subscriptions/store.ts";
import { type OwnerPlan, readPlan, seatsLeft, tierFromJson } from "./plan.ts";

export interface SeatMember {
  userId: string;
  email: string;
  displayName: string;
  joinedAt: Date;
}

export interface PendingInvitation {
  id: string;
  email: string;
  createdAt: Date;
  expiresAt: Date;
}

/** The seat a user holds on someone else's plan, while that plan gives access. */
export interface HeldSeat {
  ownerId: string;
  ownerDisplayName: string;
  ownerEmail: string;
  tier: Tier;
  joinedAt: Date;
}

export interface SeatOverview {
  plan: OwnerPlan;
  seatsLeft: number;
  members: SeatMember[];
  invitations: PendingInvitation[];
  /** Set when the user is a member of another owner's plan. */
  seat: HeldSeat | null;
}

/** The seat `memberId` holds, or null; the tier is the owner's while it gives access (else null too). */
export async function findSeat(db: Database, memberId: string): Promise<HeldSeat | null> {
  const [row] = await queryRows<{
    owner_id: string;
    display_name: string;
    email: string;
    joined_at: string;
    tier: Record<string, unknown>;
  }>(
    db,
    sql`SELECT m.owner_id, o.display_name, o.email, m.joined_at, to_jsonb(t) AS tier
        FROM seat_memberships m
        JOIN users o ON o.id = m.owner_id
        JOIN user_tiers t ON t.slug = seat_tier_slug(m.member_id)
        WHERE m.member_id = ${memberId}::uuid`,
  );
  if (!row) return null;
  const { tier } = row;
  return {
    ownerId: row.owner_id,
    ownerDisplayName: row.display_name,
    ownerEmail: row.email,
    joinedAt: new Date(row.joined_at),
    tier: tierFromJson(tier),
  };
}

const member = alias(users, "member");

/** A held seat as one JSON value (to_jsonb spelling), as the subscription page's statement reads it. */
interface SeatJson {
  owner_id: string;
  owner_display_name: string;
  owner_email: string;
  joined_at: string;
  tier: Record<string, unknown>;
}

/**
 * The seat the subscription's user holds while it gives access, or null: one column rather than
 * the seventeen of a joined owner and tier, which are null for nearly every caller but would each
 * be sent, parsed and mapped on every page view.
 */
const heldSeatJson = sql<SeatJson | null>`(
  SELECT jsonb_build_object('owner_id', o.id, 'owner_display_name', o.display_name, 'owner_email', o.email,
                            'joined_at', m.joined_at, 'tier', to_jsonb(t))
  FROM seat_memberships m
  JOIN users o ON o.id = m.owner_id
  JOIN user_tiers t ON t.slug = seat_tier_slug(m.member_id)
  WHERE m.member_id = ${userSubscriptions.userId})`;

/** With `inSession`, the row is found only while the token's session (placeholder `sid`) is live. */
const currentWithSeatQuery = (inSession: boolean) => (db: Database, name: string) =>
  db
    .select({ subscription: userSubscriptions, tier: userTiers, seat: heldSeatJson })
    .from(userSubscriptions)
    .innerJoin(userTiers, eq(userTiers.slug, userSubscriptions.tierSlug))
    .where(
      and(
        eq(userSubscriptions.userId, sql.placeholder("userId")),
        inArray(userSubscriptions.status, [...CURRENT_STATUSES]),
        inSession ? liveSession(userSubscriptions.userId, sql.placeholder("sid")) : undefined,
      ),
    )
    .prepare(name);

const inSessionQuery = currentWithSeatQuery(true);
const sessionlessQuery = currentWithSeatQuery(false);

/**
 * The user's current subscription and the seat they hold, in one prepared statement: the
 * subscription page is the hottest read, and findCurrent + findSeat (+ a session check) would be
 * three round trips. Null when the user is gone or, for a token with a session (`sid`), when that
 * session has ended: the caller refuses both with `callerGone`.
 */
export async function findCurrentWithSeat(
  db: Database,
  userId: string,
  sid: string | undefined,
): Promise<{ subscription: SubscriptionWithTier; seat: HeldSeat | null } | null> {
  const [row] =
    sid === undefined
      ? await prepared(db, "find_current_subscription_with_seat", sessionlessQuery).execute({ userId })
      : await prepared(db, "find_current_subscription_with_seat_in_session", inSessionQuery).execute({ userId, sid });
  if (!row) return null;
  const { seat } = row;
  return {
    subscription: { ...row.subscription, tier: row.tier },
    seat: seat && {
      ownerId: seat.owner_id,
      ownerDisplayName: seat.owner_display_name,
      ownerEmail: seat.owner_email,
      joinedAt: new Date(seat.joined_at),
      tier: tierFromJson(seat.tier),
    },
  };
}

/** `missing` is the refusal when `userId` does not exist: the caller's own account by default. */
export async function getSeatOverview(
  db: Database,
  userId: string,
  now: Date,
  missing: () => Error = callerGone,
): Promise<SeatOverview> {
  const [plan, members, invitations, seat] = await Promise.all([
    readPlan(db, userId, now),
    db
      .select({
        userId: member.id,
        email: member.email,
        displayName: member.displayName,
        joinedAt: seatMemberships.joinedAt,
      })
      .from(seatMemberships)
      .innerJoin(member, eq(member.id, seatMemberships.memberId))
      .where(eq(seatMemberships.ownerId, userId))
      .orderBy(asc(seatMemberships.joinedAt), asc(seatMemberships.memberId)),
    db
      .select({
        id: seatInvitations.id,
        email: seatInvitations.email,
        createdAt: seatInvitations.createdAt,
        expiresAt: seatInvitations.expiresAt,
      })
      .from(seatInvitations)
      .where(
        and(
          eq(seatInvitations.ownerId, userId),
          isNull(seatInvitations.acceptedAt),
          isNull(seatInvitations.revokedAt),
          gt(seatInvitations.expiresAt, now),
        ),
      )
      .orderBy(desc(seatInvitations.createdAt), desc(seatInvitations.id)),
    findSeat(db, userId),
  ]);
  if (!plan) throw missing();
  return { plan, seatsLeft: seatsLeft(plan), members, invitations, seat };
}
