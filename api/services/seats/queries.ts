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
const seatOwner = alias(users, "seat_owner");
const seatTier = alias(userTiers, "seat_tier");

/** With `inSession`, the row is found only while the token's session (placeholder `sid`) is live. */
const currentWithSeatQuery = (inSession: boolean) => (db: Database, name: string) =>
  db
    .select({
      subscription: userSubscriptions,
      tier: userTiers,
      seatTier,
      ownerId: seatOwner.id,
      ownerDisplayName: seatOwner.displayName,
      ownerEmail: seatOwner.email,
      joinedAt: seatMemberships.joinedAt,
    })
    .from(userSubscriptions)
    .innerJoin(userTiers, eq(userTiers.slug, userSubscriptions.tierSlug))
    .leftJoin(seatMemberships, eq(seatMemberships.memberId, userSubscriptions.userId))
    .leftJoin(seatOwner, eq(seatOwner.id, seatMemberships.ownerId))
    .leftJoin(seatTier, sql`${seatTier.slug} = seat_tier_slug(${userSubscriptions.userId})`)
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
  const { seatTier: tier, ownerId, ownerDisplayName, ownerEmail, joinedAt } = row;
  const seat =
    tier && ownerId && ownerDisplayName && ownerEmail && joinedAt
      ? { ownerId, ownerDisplayName, ownerEmail, joinedAt, tier }
      : null;
  return { subscription: { ...row.subscription, tier: row.tier }, seat };
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
