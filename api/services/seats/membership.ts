// Joining, leaving and losing a seat: one read, then one batch that holds the owner's row lock
// (seat-change.ts).
import { type SQL, sql } from "drizzle-orm";
import { type Database, queryRows } from "../../../db/client/types.ts";
import { seatInvitations, seatMemberships } from "../../../db/schema.ts";
import { hashSecretToken } from "../../lib/secret-token.ts";
import { type AccountClaims, claimsFromRow, tokenClaimsQuery } from "../account-claims.ts";
import { callerGone } from "../service-error.ts";
import { liveSession } from "../sessions/live-session.ts";
import { noSuchSeatUser, SeatError } from "./errors.ts";
import { seatHistoryStatement } from "./history.ts";
import { invitationFromJson, invitationState, sameEmail, settled } from "./invitations.ts";
import { type PlanRow, planColumns, planFromRow } from "./plan.ts";
import type { HeldSeat } from "./queries.ts";
import { changeSeats, type SeatWrites, seatFingerprint } from "./seat-change.ts";

export interface Joined {
  ownerId: string;
  ownerDisplayName: string;
  tierSlug: string;
  tierName: string;
  /** The seat just taken, as the owner's page would show it after the change. */
  seat: HeldSeat;
  /** The caller's token claims read after the writes; null when the session ended meanwhile. */
  claims: AccountClaims | null;
}

const sessionOf = (userId: SQL, sid: string | undefined) => {
  const session = liveSession(userId, sid);
  return session ? sql` AND ${session}` : sql``;
};

/** The batch's last statement: the caller's claims as the writes left them, for a fresh token. */
const claimsOf = (answers: Record<string, unknown>[][]): AccountClaims | null => {
  const row = answers[answers.length - 1]?.[0];
  return row ? claimsFromRow(row as Parameters<typeof claimsFromRow>[0]) : null;
};

interface AcceptRow extends PlanRow {
  caller_email: string;
  invitation: Record<string, unknown> | null;
  seat_owner: string | null;
  sharing: boolean;
  fingerprint: string;
}

/** The caller, signed in with the invited email, takes the seat the invitation holds for them. */
export async function acceptInvitation(
  db: Database,
  input: { token: string; userId: string; now: Date; sid?: string | undefined },
): Promise<Joined> {
  const tokenHash = await hashSecretToken(input.token);
  const iso = input.now.toISOString();
  const fingerprint = (owner: SQL, invitation: SQL) =>
    sql`concat_ws('|', ${seatFingerprint(owner, input.now)}, ${seatFingerprint(sql`${input.userId}::uuid`, input.now)},
                  (SELECT xmin::text FROM seat_invitations WHERE id = ${invitation}))`;
  const { result, answers } = await changeSeats(db, async (): Promise<SeatWrites<Omit<Joined, "claims">>> => {
    const [row] = await queryRows<AcceptRow>(
      db,
      sql`SELECT c.email AS caller_email, to_jsonb(i) AS invitation, o.email, o.display_name,
                 ${planColumns(sql`o.id`, input.now)},
                 (SELECT owner_id FROM seat_memberships WHERE member_id = c.id) AS seat_owner,
                 EXISTS (SELECT 1 FROM seat_memberships WHERE owner_id = c.id)
                 OR EXISTS (SELECT 1 FROM seat_invitations WHERE owner_id = c.id
                              AND accepted_at IS NULL AND revoked_at IS NULL
                              AND expires_at > ${iso}::timestamptz) AS sharing,
                 ${fingerprint(sql`o.id`, sql`i.id`)} AS fingerprint
          FROM users c
          LEFT JOIN seat_invitations i ON i.token_hash = ${tokenHash}
          LEFT JOIN users o ON o.id = i.owner_id
          WHERE c.id = ${input.userId}::uuid${sessionOf(sql`c.id`, input.sid)}`,
    );
    if (!row) throw callerGone();
    if (!row.invitation) throw new SeatError("invitation_not_found", "This invitation link is not valid.");
    const invitation = invitationFromJson(row.invitation);
    const state = invitationState(invitation, input.now);
    if (state !== "pending") throw settled(state);
    if (!sameEmail(row.caller_email, invitation.email)) {
      throw new SeatError(
        "invitation_for_another_email",
        `This invitation is for ${invitation.email}; sign in with that address to accept it.`,
      );
    }
    if (row.seat_owner)
      throw new SeatError("already_in_a_seat", "You already use a seat on a shared plan; leave it first.");
    if (row.sharing) {
      throw new SeatError(
        "already_sharing",
        "You share your own plan with members or pending invitations; a seat cannot be shared on.",
      );
    }
    const plan = planFromRow(invitation.ownerId, row);
    // The invitation is already counted among the used seats; joining turns it into a member.
    if (!plan.tier || plan.used > plan.seats) {
      throw new SeatError("seats_full", "The plan that sent this invitation has no seat left for it.");
    }
    const seatTierSlug = plan.tier.slug;
    const common = { action: "seat_joined", seatTierSlug, changedByUserId: input.userId } as const;
    const history = seatHistoryStatement(
      [
        { ...common, userId: input.userId, reason: `Joined ${plan.displayName}'s ${plan.tier.name} plan` },
        { ...common, userId: invitation.ownerId, reason: `${row.caller_email} joined` },
      ],
      input.now,
    );
    return {
      lock: [invitation.ownerId, input.userId],
      fingerprint: fingerprint(sql`${invitation.ownerId}::uuid`, sql`${invitation.id}::uuid`),
      expected: row.fingerprint,
      writes: [
        db
          .insert(seatMemberships)
          .values({
            memberId: input.userId,
            ownerId: invitation.ownerId,
            invitationId: invitation.id,
            joinedAt: input.now,
          })
          .getSQL(),
        sql`UPDATE ${seatInvitations} SET accepted_at = ${iso}::timestamptz, accepted_by_user_id = ${input.userId}::uuid
            WHERE id = ${invitation.id}::uuid`,
        history,
        tokenClaimsQuery(db, input.userId, input.sid).getSQL(),
      ],
      result: {
        ownerId: invitation.ownerId,
        ownerDisplayName: plan.displayName,
        tierSlug: seatTierSlug,
        tierName: plan.tier.name,
        seat: {
          ownerId: invitation.ownerId,
          ownerDisplayName: plan.displayName,
          ownerEmail: plan.email,
          tier: plan.tier,
          joinedAt: input.now,
        },
      },
    };
  });
  return { ...result, claims: claimsOf(answers) };
}

/** Who removes a member, for the history: the owner, an admin (with a reason) or the member. */
export interface Remover {
  userId: string;
  isAdmin?: boolean;
  reason?: string | null;
}

interface EndRow extends PlanRow {
  owner_id: string | null;
  member_email: string | null;
  fingerprint: string;
}

/**
 * Ends `memberId`'s seat: on the owner's plan `ownerId`, or (null: the member leaving) on whichever
 * plan they hold one. `subject` is the user the request is about, who must exist: the member
 * leaving, or the owner whose member goes.
 */
async function endMembership(
  db: Database,
  input: {
    ownerId: string | null;
    memberId: string;
    now: Date;
    by: Remover;
    sid?: string | undefined;
    guard?: SQL;
    claims: boolean;
  },
): Promise<{ ownerId: string; claims: AccountClaims | null }> {
  const subject = input.ownerId ?? input.memberId;
  // The caller's own session is checked where the subject is the caller; an admin's is checked before.
  const sid = input.by.userId === subject ? input.sid : undefined;
  const fingerprint = (owner: SQL) =>
    sql`concat_ws('|', ${seatFingerprint(owner, input.now)}, ${seatFingerprint(sql`${input.memberId}::uuid`, input.now)})`;
  const { result, answers } = await changeSeats(db, async (): Promise<SeatWrites<{ ownerId: string }>> => {
    const [row] = await queryRows<EndRow>(
      db,
      sql`SELECT m.owner_id, o.email, o.display_name, ${planColumns(sql`o.id`, input.now)},
                 (SELECT email FROM users WHERE id = ${input.memberId}::uuid) AS member_email,
                 ${fingerprint(sql`o.id`)} AS fingerprint
          FROM users subj
          LEFT JOIN seat_memberships m ON m.member_id = ${input.memberId}::uuid
            ${input.ownerId === null ? sql`` : sql`AND m.owner_id = subj.id`}
          LEFT JOIN users o ON o.id = m.owner_id
          WHERE ${input.guard ? sql`(${input.guard}) IS NOT NULL AND ` : sql``}subj.id = ${subject}::uuid${sessionOf(sql`subj.id`, sid)}`,
    );
    // The user whose seats these are being gone is a different answer: the admin named an unknown
    // user (404), or the caller's own account (the owner, or the member leaving) is gone (401).
    if (!row) throw input.by.isAdmin && input.ownerId ? noSuchSeatUser() : callerGone();
    const ownerId = row.owner_id;
    if (!ownerId) {
      throw new SeatError(
        "not_a_member",
        input.ownerId ? "That user has no seat on this plan." : "You have no seat on a shared plan.",
      );
    }
    const plan = planFromRow(ownerId, row);
    const leaving = input.by.userId === input.memberId;
    const action = leaving ? "seat_left" : "seat_removed";
    const why = input.by.reason ? `: ${input.by.reason}` : "";
    const who = input.by.isAdmin ? "by an admin" : leaving ? "" : "by the owner";
    const memberEmail = row.member_email ?? "A member";
    const common = {
      action,
      seatTierSlug: plan.tier?.slug ?? null,
      changedByUserId: input.by.userId,
      isAdminAction: input.by.isAdmin ?? false,
    } as const;
    const history = seatHistoryStatement(
      [
        {
          ...common,
          userId: input.memberId,
          reason: leaving ? `Left ${plan.displayName}'s plan` : `Removed ${who}${why}`,
        },
        { ...common, userId: ownerId, reason: leaving ? `${memberEmail} left` : `${memberEmail} removed ${who}${why}` },
      ],
      input.now,
    );
    const writes = [
      sql`DELETE FROM seat_memberships WHERE member_id = ${input.memberId}::uuid AND owner_id = ${ownerId}::uuid`,
      history,
    ];
    if (input.claims) writes.push(tokenClaimsQuery(db, input.by.userId, input.sid).getSQL());
    return {
      lock: [ownerId],
      fingerprint: fingerprint(sql`${ownerId}::uuid`),
      expected: row.fingerprint,
      writes,
      result: { ownerId },
    };
  });
  return { ...result, claims: input.claims ? claimsOf(answers) : null };
}

/** The member gives their seat back; the answer carries their claims as the change left them. */
export function leaveSeat(db: Database, input: { memberId: string; now: Date; sid?: string | undefined }) {
  return endMembership(db, { ...input, ownerId: null, by: { userId: input.memberId }, claims: true });
}

export function removeMember(
  db: Database,
  input: {
    ownerId: string;
    memberId: string;
    now: Date;
    by?: Remover;
    sid?: string | undefined;
    /** An admin's rights check (a statement that raises to refuse); it gates the change's read. */
    guard?: SQL;
  },
) {
  return endMembership(db, { ...input, by: input.by ?? { userId: input.ownerId }, claims: false });
}
