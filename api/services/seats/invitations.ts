// Invitations to a shared plan: sent by the owner, single-use, valid for INVITATION_DAYS.
import { and, eq, isNull, sql } from "drizzle-orm";
import { type Database, queryRows } from "../../../db/client/types.ts";
import { type SeatInvitation, seatInvitations } from "../../../db/schema.ts";
import { hashSecretToken, newSecretToken } from "../../lib/secret-token.ts";
import { callerGone } from "../service-error.ts";
import { SeatError } from "./errors.ts";
import { recordSeatHistory } from "./history.ts";
import { lockUsers, type OwnerPlan, readPlan } from "./plan.ts";

export const INVITATION_DAYS = 7;

export type InvitationState = "pending" | "accepted" | "revoked" | "expired";

export function invitationState(invitation: SeatInvitation, now: Date): InvitationState {
  if (invitation.acceptedAt) return "accepted";
  if (invitation.revokedAt) return "revoked";
  return invitation.expiresAt > now ? "pending" : "expired";
}

const SETTLED = {
  accepted: ["invitation_used", "This invitation has already been used."],
  revoked: ["invitation_revoked", "This invitation was revoked by the plan's owner."],
  expired: ["invitation_expired", "This invitation has expired; ask the plan's owner for a new one."],
} as const;

/** The refusal for acting on an invitation that is no longer pending. */
export function settled(state: Exclude<InvitationState, "pending">): SeatError {
  const [code, message] = SETTLED[state];
  return new SeatError(code, message);
}

export const sameEmail = (a: string, b: string) => a.trim().toLowerCase() === b.trim().toLowerCase();

/** The owner's plan, locked, if it has a seat to share; the refusals a would-be owner gets otherwise. */
export async function lockSharingOwner(
  tx: Database,
  ownerId: string,
  now: Date,
): Promise<OwnerPlan & { tier: NonNullable<OwnerPlan["tier"]> }> {
  if (!(await lockUsers(tx, [ownerId])).size) throw callerGone();
  const [membership] = await queryRows<{ owner_id: string }>(
    tx,
    sql`SELECT owner_id FROM seat_memberships WHERE member_id = ${ownerId}::uuid`,
  );
  if (membership) {
    throw new SeatError(
      "seat_member_cannot_invite",
      "You use a seat on someone else's plan; only its owner can invite.",
    );
  }
  const plan = await readPlan(tx, ownerId, now);
  if (!plan?.tier || plan.seats <= 1) {
    throw new SeatError("no_seats_to_share", "Your plan has no seats to share; Business and Family plans do.");
  }
  return { ...plan, tier: plan.tier };
}

export interface NewInvitation {
  invitation: SeatInvitation;
  /** The only copy of the secret: the link is built from it and it is never stored. */
  token: string;
  plan: OwnerPlan;
}

export function invite(db: Database, input: { ownerId: string; email: string; now: Date }): Promise<NewInvitation> {
  const email = input.email.trim();
  return db.transaction(async (tx) => {
    const plan = await lockSharingOwner(tx, input.ownerId, input.now);
    if (sameEmail(email, plan.email))
      throw new SeatError("cannot_invite_self", "You already have your own seat on this plan.");
    const [conflict] = await queryRows<{ member: boolean; invited: boolean }>(
      tx,
      sql`SELECT EXISTS (SELECT 1 FROM seat_memberships m JOIN users u ON u.id = m.member_id
                         WHERE m.owner_id = ${input.ownerId}::uuid AND lower(u.email) = lower(${email})) AS member,
                 EXISTS (SELECT 1 FROM seat_invitations i
                         WHERE i.owner_id = ${input.ownerId}::uuid AND lower(i.email) = lower(${email})
                           AND i.accepted_at IS NULL AND i.revoked_at IS NULL
                           AND i.expires_at > ${input.now.toISOString()}::timestamptz) AS invited`,
    );
    if (conflict?.member) throw new SeatError("already_member", `${email} already has a seat on your plan.`);
    if (conflict?.invited)
      throw new SeatError("already_invited", `${email} already has a pending invitation; revoke it to send a new one.`);
    if (plan.used >= plan.seats) {
      throw new SeatError("seats_full", `All ${plan.seats} seats of your ${plan.tier.name} plan are taken.`, [
        {
          path: "seats",
          message: `${plan.used} of ${plan.seats} seats are used (you, members and pending invitations).`,
        },
      ]);
    }
    const token = newSecretToken();
    const [invitation] = await tx
      .insert(seatInvitations)
      .values({
        ownerId: input.ownerId,
        email,
        tokenHash: await hashSecretToken(token),
        createdAt: input.now,
        expiresAt: new Date(input.now.getTime() + INVITATION_DAYS * 24 * 60 * 60 * 1000),
      })
      .returning();
    if (!invitation) throw new Error("insert returned no row");
    await recordSeatHistory(
      tx,
      [
        {
          userId: input.ownerId,
          action: "seat_invited",
          seatTierSlug: plan.tier.slug,
          changedByUserId: input.ownerId,
          reason: `Invited ${email}`,
        },
      ],
      input.now,
    );
    return {
      invitation,
      token,
      plan: { ...plan, pendingInvitations: plan.pendingInvitations + 1, used: plan.used + 1 },
    };
  });
}

/** Withdraws a pending invitation of the owner's; its link stops working at once. */
export function revokeInvitation(
  db: Database,
  input: { ownerId: string; invitationId: string; now: Date },
): Promise<SeatInvitation> {
  return db.transaction(async (tx) => {
    if (!(await lockUsers(tx, [input.ownerId])).size) throw callerGone();
    const [invitation] = await tx
      .select()
      .from(seatInvitations)
      .where(and(eq(seatInvitations.id, input.invitationId), eq(seatInvitations.ownerId, input.ownerId)));
    if (!invitation) throw new SeatError("invitation_not_found", "You have no such invitation.");
    const state = invitationState(invitation, input.now);
    if (state !== "pending") throw settled(state);
    const [revoked] = await tx
      .update(seatInvitations)
      .set({ revokedAt: input.now })
      .where(and(eq(seatInvitations.id, invitation.id), isNull(seatInvitations.revokedAt)))
      .returning();
    if (!revoked) throw new Error("update returned no row");
    const plan = await readPlan(tx, input.ownerId, input.now);
    await recordSeatHistory(
      tx,
      [
        {
          userId: input.ownerId,
          action: "seat_removed",
          seatTierSlug: plan?.tier?.slug ?? null,
          changedByUserId: input.ownerId,
          reason: `Invitation for ${invitation.email} revoked`,
        },
      ],
      input.now,
    );
    return revoked;
  });
}

/** The invitation a link's token names, or null: hashes compare, the token itself is never stored. */
export async function findInvitationByToken(db: Database, token: string): Promise<SeatInvitation | null> {
  const [invitation] = await db
    .select()
    .from(seatInvitations)
    .where(eq(seatInvitations.tokenHash, await hashSecretToken(token)));
  return invitation ?? null;
}

export interface InvitationPreview {
  email: string;
  state: InvitationState;
  expiresAt: Date;
  ownerDisplayName: string;
  tierName: string | null;
}

/** What the accept page shows before anyone signs in. */
export async function previewInvitation(db: Database, token: string, now: Date): Promise<InvitationPreview> {
  const invitation = await findInvitationByToken(db, token);
  if (!invitation) throw new SeatError("invitation_not_found", "This invitation link is not valid.");
  const plan = await readPlan(db, invitation.ownerId, now);
  return {
    email: invitation.email,
    state: invitationState(invitation, now),
    expiresAt: invitation.expiresAt,
    ownerDisplayName: plan?.displayName ?? "",
    tierName: plan?.tier?.name ?? null,
  };
}
