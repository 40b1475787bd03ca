// Invitations to a shared plan: sent by the owner, single-use, valid for INVITATION_DAYS.
import { type SQL, sql } from "drizzle-orm";
import { type Database, queryRows } from "../../../db/client/types.ts";
import { type SeatInvitation, seatInvitations, type Tier } from "../../../db/schema.ts";
import { hashSecretToken, newSecretToken } from "../../lib/secret-token.ts";
import { callerGone } from "../service-error.ts";
import { liveSession } from "../sessions/live-session.ts";
import { SeatError } from "./errors.ts";
import { seatHistoryStatement } from "./history.ts";
import { type OwnerPlan, type PlanRow, planColumns, planFromRow } from "./plan.ts";
import { changeSeats, seatFingerprint } from "./seat-change.ts";

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

/** The refusals a would-be owner gets when they hold a seat elsewhere or their plan has none to share. */
export function assertCanShare(plan: OwnerPlan, seatOwner: string | null): OwnerPlan & { tier: Tier } {
  if (seatOwner) {
    throw new SeatError(
      "seat_member_cannot_invite",
      "You use a seat on someone else's plan; only its owner can invite.",
    );
  }
  if (!plan.tier || plan.seats <= 1) {
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

/** The owner as a seat change reads them; no row when the owner is gone or `sid` has ended. */
function ownerRead(ownerId: string, now: Date, sid: string | undefined, extra: SQL) {
  const session = liveSession(sql`u.id`, sid);
  return sql`SELECT u.email, u.display_name, ${planColumns(sql`u.id`, now)},
                    (SELECT owner_id FROM seat_memberships WHERE member_id = u.id) AS seat_owner,
                    ${seatFingerprint(sql`u.id`, now)} AS fingerprint, ${extra}
             FROM users u WHERE u.id = ${ownerId}::uuid${session ? sql` AND ${session}` : sql``}`;
}

interface OwnerRow extends PlanRow {
  seat_owner: string | null;
  fingerprint: string;
}

export async function invite(
  db: Database,
  input: { ownerId: string; email: string; now: Date; sid?: string | undefined },
): Promise<NewInvitation> {
  const email = input.email.trim();
  const token = newSecretToken();
  const tokenHash = await hashSecretToken(token);
  const { result } = await changeSeats(db, async () => {
    const [row] = await queryRows<OwnerRow & { member: boolean; invited: boolean }>(
      db,
      ownerRead(
        input.ownerId,
        input.now,
        input.sid,
        sql`EXISTS (SELECT 1 FROM seat_memberships m JOIN users mu ON mu.id = m.member_id
                    WHERE m.owner_id = u.id AND lower(mu.email) = lower(${email})) AS member,
            EXISTS (SELECT 1 FROM seat_invitations i
                    WHERE i.owner_id = u.id AND lower(i.email) = lower(${email})
                      AND i.accepted_at IS NULL AND i.revoked_at IS NULL
                      AND i.expires_at > ${input.now.toISOString()}::timestamptz) AS invited`,
      ),
    );
    if (!row) throw callerGone();
    const plan = assertCanShare(planFromRow(input.ownerId, row), row.seat_owner);
    if (sameEmail(email, plan.email))
      throw new SeatError("cannot_invite_self", "You already have your own seat on this plan.");
    if (row.member) throw new SeatError("already_member", `${email} already has a seat on your plan.`);
    if (row.invited)
      throw new SeatError("already_invited", `${email} already has a pending invitation; revoke it to send a new one.`);
    if (plan.used >= plan.seats) {
      throw new SeatError("seats_full", `All ${plan.seats} seats of your ${plan.tier.name} plan are taken.`, [
        {
          path: "seats",
          message: `${plan.used} of ${plan.seats} seats are used (you, members and pending invitations).`,
        },
      ]);
    }
    const invitation: SeatInvitation = {
      id: crypto.randomUUID(),
      ownerId: input.ownerId,
      email,
      tokenHash,
      createdAt: input.now,
      expiresAt: new Date(input.now.getTime() + INVITATION_DAYS * 24 * 60 * 60 * 1000),
      acceptedAt: null,
      acceptedByUserId: null,
      revokedAt: null,
    };
    const history = seatHistoryStatement(
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
      lock: [input.ownerId],
      fingerprint: seatFingerprint(sql`${input.ownerId}::uuid`, input.now),
      expected: row.fingerprint,
      writes: [db.insert(seatInvitations).values(invitation).getSQL(), history],
      result: {
        invitation,
        token,
        plan: { ...plan, pendingInvitations: plan.pendingInvitations + 1, used: plan.used + 1 },
      },
    };
  });
  return result;
}

/** Withdraws a pending invitation of the owner's; its link stops working at once. */
export async function revokeInvitation(
  db: Database,
  input: { ownerId: string; invitationId: string; now: Date; sid?: string | undefined },
): Promise<SeatInvitation> {
  const { result } = await changeSeats(db, async () => {
    const [row] = await queryRows<OwnerRow & { invitation: Record<string, unknown> | null }>(
      db,
      ownerRead(
        input.ownerId,
        input.now,
        input.sid,
        sql`(SELECT to_jsonb(i) FROM seat_invitations i
             WHERE i.id = ${input.invitationId}::uuid AND i.owner_id = u.id) AS invitation`,
      ),
    );
    if (!row) throw callerGone();
    if (!row.invitation) throw new SeatError("invitation_not_found", "You have no such invitation.");
    const invitation = invitationFromJson(row.invitation);
    const state = invitationState(invitation, input.now);
    if (state !== "pending") throw settled(state);
    const plan = planFromRow(input.ownerId, row);
    const history = seatHistoryStatement(
      [
        {
          userId: input.ownerId,
          action: "seat_removed",
          seatTierSlug: plan.tier?.slug ?? null,
          changedByUserId: input.ownerId,
          reason: `Invitation for ${invitation.email} revoked`,
        },
      ],
      input.now,
    );
    return {
      lock: [input.ownerId],
      fingerprint: seatFingerprint(sql`${input.ownerId}::uuid`, input.now),
      expected: row.fingerprint,
      writes: [
        sql`UPDATE seat_invitations SET revoked_at = ${input.now.toISOString()}::timestamptz
            WHERE id = ${invitation.id}::uuid`,
        history,
      ],
      result: { ...invitation, revokedAt: input.now },
    };
  });
  return result;
}

/** A seat_invitations row as to_jsonb spells it, back as the Drizzle row. */
export function invitationFromJson(json: Record<string, unknown>): SeatInvitation {
  const time = (value: unknown) => (value == null ? null : new Date(value as string));
  return {
    id: json.id as string,
    ownerId: json.owner_id as string,
    email: json.email as string,
    tokenHash: json.token_hash as string,
    createdAt: new Date(json.created_at as string),
    expiresAt: new Date(json.expires_at as string),
    acceptedAt: time(json.accepted_at),
    acceptedByUserId: (json.accepted_by_user_id as string | null) ?? null,
    revokedAt: time(json.revoked_at),
  };
}

export interface InvitationPreview {
  email: string;
  state: InvitationState;
  expiresAt: Date;
  ownerDisplayName: string;
  tierName: string | null;
}

/** What the accept page shows before anyone signs in: hashes compare, the token itself is never stored. */
export async function previewInvitation(db: Database, token: string, now: Date): Promise<InvitationPreview> {
  const [row] = await queryRows<PlanRow & { invitation: Record<string, unknown> }>(
    db,
    sql`SELECT to_jsonb(i) AS invitation, o.email, o.display_name, ${planColumns(sql`o.id`, now)}
        FROM seat_invitations i JOIN users o ON o.id = i.owner_id
        WHERE i.token_hash = ${await hashSecretToken(token)}`,
  );
  if (!row) throw new SeatError("invitation_not_found", "This invitation link is not valid.");
  const invitation = invitationFromJson(row.invitation);
  const plan = planFromRow(invitation.ownerId, row);
  return {
    email: invitation.email,
    state: invitationState(invitation, now),
    expiresAt: invitation.expiresAt,
    ownerDisplayName: plan.displayName,
    tierName: plan.tier?.name ?? null,
  };
}
