// Read-only views of seats: the owner's page, a member's seat, the admin's user page.
import { and, eq, type SQL, sql } from "drizzle-orm";
import { alias } from "drizzle-orm/pg-core";
import { type Read, read } from "../../../db/client/reads.ts";
import type { Database } from "../../../db/client/types.ts";
import { type Subscription, type Tier, userSubscriptions, users, userTiers } from "../../../db/schema.ts";
import { currentSubscriptionOf } from "../current-subscription.ts";
import { callerGone } from "../service-error.ts";
import { liveSession } from "../sessions/live-session.ts";
import { prepared } from "../subscriptions/prepared.ts";
import type { SubscriptionWithTier } from "../subscriptions/store.ts";
import { type OwnerPlan, type PlanRow, planColumns, planFromRow, seatsLeft, tierFromJson } from "./plan.ts";

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

/** The seat `memberId` holds as one jsonb value (null without one), for reads that take it with other things. */
function heldSeatJson(memberId: SQL): SQL {
  return sql`(SELECT jsonb_build_object('owner_id', m.owner_id, 'display_name', o.display_name, 'email', o.email,
                                        'joined_at', m.joined_at, 'tier', to_jsonb(t))
              FROM seat_memberships m
              JOIN users o ON o.id = m.owner_id
              JOIN user_tiers t ON t.slug = seat_tier_slug(m.member_id)
              WHERE m.member_id = ${memberId})`;
}

function heldSeatFromJson(json: Record<string, unknown> | null): HeldSeat | null {
  if (!json) return null;
  return {
    ownerId: json.owner_id as string,
    ownerDisplayName: json.display_name as string,
    ownerEmail: json.email as string,
    joinedAt: new Date(json.joined_at as string),
    tier: tierFromJson(json.tier as Record<string, unknown>),
  };
}

const _member = alias(users, "member");

type Json = Record<string, unknown>;

/**
 * With `inSession`, the row is found only while the token's session (placeholder `sid`) is live.
 * Three columns: the subscription and its tier as one to_jsonb value each (Drizzle maps a result
 * column by column, which for thirty columns was a sizeable part of the page's CPU on Node), and
 * the seat, rather than the seventeen columns of a joined owner and tier, null for nearly every caller.
 */
const currentWithSeatQuery = (inSession: boolean) => (db: Database, name: string) =>
  db
    .select({
      subscription: sql<Json>`to_jsonb(${userSubscriptions})`,
      tier: sql<Json>`to_jsonb(${userTiers})`,
      seat: sql<Json | null>`${heldSeatJson(sql`${userSubscriptions.userId}`)}`,
    })
    .from(userSubscriptions)
    .innerJoin(userTiers, eq(userTiers.slug, userSubscriptions.tierSlug))
    .where(
      and(
        currentSubscriptionOf(sql.placeholder("userId")),
        inSession ? liveSession(userSubscriptions.userId, sql.placeholder("sid")) : undefined,
      ),
    )
    .prepare(name);

const date = (value: unknown) => new Date(value as string);
const dateOrNull = (value: unknown) => (value === null ? null : date(value));

/** A user_subscriptions row as to_jsonb spells it (snake_case keys, ISO times) back as the Drizzle row. */
function subscriptionFromJson(json: Json): Subscription {
  return {
    id: json.id as string,
    userId: json.user_id as string,
    tierSlug: json.tier_slug as string,
    billingCycle: json.billing_cycle as Subscription["billingCycle"],
    status: json.status as Subscription["status"],
    startedAt: date(json.started_at),
    currentPeriodStart: date(json.current_period_start),
    currentPeriodEnd: dateOrNull(json.current_period_end),
    billingAnchorAt: dateOrNull(json.billing_anchor_at),
    cancelledAt: dateOrNull(json.cancelled_at),
    endsAt: dateOrNull(json.ends_at),
    scheduledTierSlug: json.scheduled_tier_slug as string | null,
    paymentProvider: json.payment_provider as Subscription["paymentProvider"],
    paymentProviderId: json.payment_provider_id as string | null,
    graceUntil: dateOrNull(json.grace_until),
    createdAt: date(json.created_at),
    updatedAt: date(json.updated_at),
  };
}

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
  return {
    subscription: { ...subscriptionFromJson(row.subscription), tier: tierFromJson(row.tier) },
    seat: heldSeatFromJson(row.seat),
  };
}

interface OverviewRow extends PlanRow {
  member_list: { user_id: string; email: string; display_name: string; joined_at: string }[];
  invitation_list: { id: string; email: string; created_at: string; expires_at: string }[];
  seat: Record<string, unknown> | null;
}

/**
 * The owner's page in one statement, as a Read so an admin's batch can carry it. `missing` is the
 * refusal when `userId` does not exist (or, with `sid`, the caller's session has ended).
 */
export function seatOverviewRead(
  userId: string,
  now: Date,
  missing: () => Error = callerGone,
  sid?: string,
): Read<SeatOverview> {
  const session = liveSession(sql`u.id`, sid);
  return {
    statement: sql`SELECT u.email, u.display_name, ${planColumns(sql`u.id`, now)},
               coalesce((SELECT jsonb_agg(jsonb_build_object('user_id', mu.id, 'email', mu.email,
                                                             'display_name', mu.display_name, 'joined_at', m.joined_at)
                                          ORDER BY m.joined_at, m.member_id)
                         FROM seat_memberships m JOIN users mu ON mu.id = m.member_id
                         WHERE m.owner_id = u.id), '[]'::jsonb) AS member_list,
               coalesce((SELECT jsonb_agg(jsonb_build_object('id', i.id, 'email', i.email,
                                                             'created_at', i.created_at, 'expires_at', i.expires_at)
                                          ORDER BY i.created_at DESC, i.id DESC)
                         FROM seat_invitations i
                         WHERE i.owner_id = u.id AND i.accepted_at IS NULL AND i.revoked_at IS NULL
                           AND i.expires_at > ${now.toISOString()}::timestamptz), '[]'::jsonb) AS invitation_list,
               ${heldSeatJson(sql`u.id`)} AS seat
        FROM users u WHERE u.id = ${userId}::uuid${session ? sql` AND ${session}` : sql``}`,
    decode(rows) {
      const row = rows[0] as OverviewRow | undefined;
      if (!row) throw missing();
      const plan = planFromRow(userId, row);
      const members = row.member_list.map((m) => ({
        userId: m.user_id,
        email: m.email,
        displayName: m.display_name,
        joinedAt: new Date(m.joined_at),
      }));
      const invitations = row.invitation_list.map((i) => ({
        id: i.id,
        email: i.email,
        createdAt: new Date(i.created_at),
        expiresAt: new Date(i.expires_at),
      }));
      return { plan, seatsLeft: seatsLeft(plan), members, invitations, seat: heldSeatFromJson(row.seat) };
    },
  };
}

/** The caller's own page: seatOverviewRead alone. */
export function getSeatOverview(db: Database, userId: string, now: Date, sid?: string): Promise<SeatOverview> {
  return read(db, seatOverviewRead(userId, now, callerGone, sid));
}
