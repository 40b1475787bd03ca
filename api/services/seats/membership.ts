// Joining, leaving and losing a seat. Every change holds the owner's row lock (plan.ts).
import { and, eq, sql } from "drizzle-orm";
import { type Database, queryRows } from "../../../db/client/types.ts";
import { seatInvitations, seatMemberships, users } from "../../../db/schema.ts";
import { callerGone } from "../service-error.ts";
import { noSuchSeatUser, SeatError } from "./errors.ts";
import { recordSeatHistory } from "./history.ts";
import { findInvitationByToken, invitationState, sameEmail, settled } from "./invitations.ts";
import { lockUsers, readPlan } from "./plan.ts";

async function userExists(db: Database, userId: string): Promise<boolean> {
  const [row] = await db.select({ id: users.id }).from(users).where(eq(users.id, userId));
  return Boolean(row);
}

export interface Joined {
  ownerId: string;
  ownerDisplayName: string;
  tierSlug: string;
  tierName: string;
}

/** The caller, signed in with the invited email, takes the seat the invitation holds for them. */
export async function acceptInvitation(
  db: Database,
  input: { token: string; userId: string; now: Date },
): Promise<Joined> {
  const found = await findInvitationByToken(db, input.token);
  if (!found) {
    if (!(await userExists(db, input.userId))) throw callerGone();
    throw new SeatError("invitation_not_found", "This invitation link is not valid.");
  }
  return db.transaction(async (tx) => {
    await lockUsers(tx, [found.ownerId, input.userId]);
    // Read again under the lock: a concurrent accept or revoke has committed by now.
    const [invitation] = await tx.select().from(seatInvitations).where(eq(seatInvitations.id, found.id));
    const [caller] = await tx.select({ email: users.email }).from(users).where(eq(users.id, input.userId));
    if (!invitation) throw new SeatError("invitation_not_found", "This invitation link is not valid.");
    if (!caller) throw callerGone();
    const state = invitationState(invitation, input.now);
    if (state !== "pending") throw settled(state);
    if (!sameEmail(caller.email, invitation.email)) {
      throw new SeatError(
        "invitation_for_another_email",
        `This invitation is for ${invitation.email}; sign in with that address to accept it.`,
      );
    }
    const [standing] = await queryRows<{ seat_owner: string | null; sharing: boolean }>(
      tx,
      sql`SELECT (SELECT owner_id FROM seat_memberships WHERE member_id = ${input.userId}::uuid) AS seat_owner,
                 EXISTS (SELECT 1 FROM seat_memberships WHERE owner_id = ${input.userId}::uuid)
                 OR EXISTS (SELECT 1 FROM seat_invitations WHERE owner_id = ${input.userId}::uuid
                              AND accepted_at IS NULL AND revoked_at IS NULL
                              AND expires_at > ${input.now.toISOString()}::timestamptz) AS sharing`,
    );
    if (standing?.seat_owner)
      throw new SeatError("already_in_a_seat", "You already use a seat on a shared plan; leave it first.");
    if (standing?.sharing) {
      throw new SeatError(
        "already_sharing",
        "You share your own plan with members or pending invitations; a seat cannot be shared on.",
      );
    }
    const plan = await readPlan(tx, invitation.ownerId, input.now);
    // The invitation is already counted among the used seats; joining turns it into a member.
    if (!plan?.tier || plan.used > plan.seats) {
      throw new SeatError("seats_full", "The plan that sent this invitation has no seat left for it.");
    }
    await tx.insert(seatMemberships).values({
      memberId: input.userId,
      ownerId: invitation.ownerId,
      invitationId: invitation.id,
      joinedAt: input.now,
    });
    await tx
      .update(seatInvitations)
      .set({ acceptedAt: input.now, acceptedByUserId: input.userId })
      .where(eq(seatInvitations.id, invitation.id));
    const seatTierSlug = plan.tier.slug;
    await recordSeatHistory(
      tx,
      [
        {
          userId: input.userId,
          action: "seat_joined",
          seatTierSlug,
          changedByUserId: input.userId,
          reason: `Joined ${plan.displayName}'s ${plan.tier.name} plan`,
        },
        {
          userId: invitation.ownerId,
          action: "seat_joined",
          seatTierSlug,
          changedByUserId: input.userId,
          reason: `${caller.email} joined`,
        },
      ],
      input.now,
    );
    return {
      ownerId: invitation.ownerId,
      ownerDisplayName: plan.displayName,
      tierSlug: seatTierSlug,
      tierName: plan.tier.name,
    };
  });
}

/** Who removes a member, for the history: the owner, an admin (with a reason) or the member. */
export interface Remover {
  userId: string;
  isAdmin?: boolean;
  reason?: string | null;
}

async function endMembership(
  db: Database,
  input: { ownerId: string | null; memberId: string; now: Date; by: Remover },
): Promise<{ ownerId: string }> {
  const [found] = await db
    .select({ ownerId: seatMemberships.ownerId })
    .from(seatMemberships)
    .where(eq(seatMemberships.memberId, input.memberId));
  const ownerId = input.ownerId ?? found?.ownerId;
  if (!found || !ownerId || found.ownerId !== ownerId) {
    // The user whose seats these are being gone is a different answer: the admin named an unknown
    // user (404), or the caller's own account (the owner, or the member leaving) is gone (401).
    if (!(await userExists(db, input.ownerId ?? input.memberId))) {
      throw input.by.isAdmin && input.ownerId ? noSuchSeatUser() : callerGone();
    }
    throw new SeatError(
      "not_a_member",
      input.ownerId ? "That user has no seat on this plan." : "You have no seat on a shared plan.",
    );
  }
  return db.transaction(async (tx) => {
    await lockUsers(tx, [ownerId]);
    const [removed] = await tx
      .delete(seatMemberships)
      .where(and(eq(seatMemberships.memberId, input.memberId), eq(seatMemberships.ownerId, ownerId)))
      .returning();
    if (!removed) throw new SeatError("not_a_member", "That user no longer has a seat on this plan.");
    const [plan, [member]] = await Promise.all([
      readPlan(tx, ownerId, input.now),
      tx.select({ email: users.email }).from(users).where(eq(users.id, input.memberId)),
    ]);
    const leaving = input.by.userId === input.memberId;
    const action = leaving ? "seat_left" : "seat_removed";
    const seatTierSlug = plan?.tier?.slug ?? null;
    const why = input.by.reason ? `: ${input.by.reason}` : "";
    const who = input.by.isAdmin ? "by an admin" : leaving ? "" : "by the owner";
    const memberReason = leaving ? `Left ${plan?.displayName ?? "the owner"}'s plan` : `Removed ${who}${why}`;
    const ownerReason = leaving
      ? `${member?.email ?? "A member"} left`
      : `${member?.email ?? "A member"} removed ${who}${why}`;
    const common = {
      action,
      seatTierSlug,
      changedByUserId: input.by.userId,
      isAdminAction: input.by.isAdmin ?? false,
    } as const;
    await recordSeatHistory(
      tx,
      [
        { ...common, userId: input.memberId, reason: memberReason },
        { ...common, userId: ownerId, reason: ownerReason },
      ],
      input.now,
    );
    return { ownerId };
  });
}

export function leaveSeat(db: Database, input: { memberId: string; now: Date }) {
  return endMembership(db, { ownerId: null, memberId: input.memberId, now: input.now, by: { userId: input.memberId } });
}

export function removeMember(db: Database, input: { ownerId: string; memberId: string; now: Date; by?: Remover }) {
  return endMembership(db, { ...input, by: input.by ?? { userId: input.ownerId } });
}
