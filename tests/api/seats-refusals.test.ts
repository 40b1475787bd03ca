import { sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { queryRows } from "../../db/client/types.ts";
import { expectRefusal, signupOnTier } from "../support/api-checks.ts";
import { accept, freshEmail, invite, invited, ownerWithMembers, setupSeatsWorld, t } from "../support/seats-world.ts";

setupSeatsWorld();

describe("seat refusals change nothing", () => {
  it("refuses bad invitations: oneself, a member, a pending email, a malformed email, past the cap, a member or a one-seat plan inviting", async () => {
    const { owner, members } = await ownerWithMembers("business", 1);
    const pending = freshEmail("pending");
    await invited(owner.token, pending);
    await expectRefusal(t, () => invite(owner.token, owner.user.email.toUpperCase()), 400, "cannot_invite_self");
    await expectRefusal(t, () => invite(owner.token, members[0]!.user.email), 409, "already_member");
    await expectRefusal(t, () => invite(owner.token, ` ${pending.toUpperCase()} `), 409, "already_invited");
    const malformed = await expectRefusal(t, () => invite(owner.token, "not-an-email"), 400, "validation_error");
    expect(malformed.error.message).toMatch(/^email: /);
    await expectRefusal(
      t,
      () => t.request("POST", "/api/user/seats/invitations", { token: owner.token, json: {} }),
      400,
      "validation_error",
    );
    await invited(owner.token, freshEmail());
    await invited(owner.token, freshEmail());
    const full = await expectRefusal(t, () => invite(owner.token, freshEmail()), 409, "seats_full");
    expect(full.error.details).toEqual([
      { path: "seats", message: "5 of 5 seats are used (you, members and pending invitations)." },
    ]);
    await expectRefusal(t, () => invite(members[0]!.token, freshEmail()), 403, "seat_member_cannot_invite");
    const pro = await signupOnTier(t, "pro");
    await expectRefusal(t, () => invite(pro.token, freshEmail()), 403, "no_seats_to_share");
    await expectRefusal(
      t,
      () => t.request("POST", "/api/user/seats/invitations", { json: { email: freshEmail() } }),
      401,
      "unauthorized",
    );
  });

  it("refuses bad accepts: expired, revoked, used, unknown, another email, already seated or sharing", async () => {
    const family = await signupOnTier(t, "family");
    const email = freshEmail("invitee");
    const signedUp = await t.signup(email);

    const expiring = await invited(family.token, email);
    t.clock.advance({ days: 7, seconds: 1 });
    // Tokens live 15 minutes: both sign in again.
    const owner = { ...family, token: await t.tokenFor(family.user.id) };
    const invitee = { ...signedUp, token: await t.tokenFor(signedUp.user.id) };
    await expectRefusal(t, () => accept(invitee.token, expiring.token), 409, "invitation_expired");

    const revoked = await invited(owner.token, email);
    expect(
      (await t.request("DELETE", `/api/user/seats/invitations/${revoked.invitation.id}`, { token: owner.token }))
        .status,
    ).toBe(200);
    await expectRefusal(t, () => accept(invitee.token, revoked.token), 409, "invitation_revoked");
    await expectRefusal(
      t,
      () => t.request("DELETE", `/api/user/seats/invitations/${revoked.invitation.id}`, { token: owner.token }),
      409,
      "invitation_revoked",
    );

    await expectRefusal(t, () => accept(invitee.token, "A".repeat(43)), 404, "invitation_not_found");
    await expectRefusal(t, () => accept(invitee.token, "not a token!"), 400, "validation_error");

    const valid = await invited(owner.token, email);
    const stranger = await t.signup(freshEmail("stranger"));
    await expectRefusal(t, () => accept(stranger.token, valid.token), 403, "invitation_for_another_email");

    expect((await accept(invitee.token, valid.token)).status).toBe(200);
    await expectRefusal(t, () => accept(invitee.token, valid.token), 409, "invitation_used");

    const other = await signupOnTier(t, "business");
    await expectRefusal(t, () => accept(invitee.token, "B".repeat(43)), 404, "invitation_not_found");
    const second = await invited(other.token, email);
    await expectRefusal(t, () => accept(invitee.token, second.token), 409, "already_in_a_seat");

    const sharer = await signupOnTier(t, "business");
    await invited(sharer.token, freshEmail());
    const toSharer = await invited(other.token, sharer.user.email);
    await expectRefusal(t, () => accept(sharer.token, toSharer.token), 409, "already_sharing");
  });

  it("refuses removing someone who is not a member, revoking an unknown invitation and leaving without a seat", async () => {
    const { owner, members } = await ownerWithMembers("family", 1);
    const { owner: otherOwner } = await ownerWithMembers("family", 0);
    const outsider = await t.signup();
    await expectRefusal(
      t,
      () => t.request("DELETE", `/api/user/seats/${outsider.user.id}`, { token: owner.token }),
      404,
      "not_a_member",
    );
    await expectRefusal(
      t,
      () => t.request("DELETE", `/api/user/seats/${members[0]!.user.id}`, { token: otherOwner.token }),
      404,
      "not_a_member",
    );
    await expectRefusal(
      t,
      () => t.request("DELETE", "/api/user/seats/not-a-uuid", { token: owner.token }),
      400,
      "validation_error",
    );
    await expectRefusal(
      t,
      () => t.request("DELETE", `/api/user/seats/invitations/${crypto.randomUUID()}`, { token: owner.token }),
      404,
      "invitation_not_found",
    );
    await expectRefusal(t, () => t.request("DELETE", "/api/user/seat", { token: outsider.token }), 404, "not_a_member");
  });

  it("answers a caller whose session has ended with 401 on every seat route, and changes nothing", async () => {
    const { owner, members } = await ownerWithMembers("family", 1);
    const member = members[0]!;
    const email = freshEmail("late");
    const link = await invited(owner.token, email);
    const invitee = await t.signup(email);
    const state = async () =>
      queryRows(
        t.db,
        sql`SELECT (SELECT count(*)::int FROM seat_memberships WHERE owner_id = ${owner.user.id}::uuid) AS members,
                   (SELECT count(*)::int FROM seat_invitations WHERE owner_id = ${owner.user.id}::uuid
                      AND accepted_at IS NULL AND revoked_at IS NULL) AS pending,
                   (SELECT count(*)::int FROM subscription_history
                      WHERE user_id IN (${owner.user.id}::uuid, ${member.user.id}::uuid, ${invitee.user.id}::uuid)) AS history`,
      );
    const before = await state();
    expect(before).toEqual([{ members: 1, pending: 1, history: expect.any(Number) }]);
    for (const token of [owner.token, member.token, invitee.token]) {
      expect((await t.request("POST", "/api/auth/logout", { token })).status).toBe(200);
    }
    const calls: [string, string, string, unknown?][] = [
      [owner.token, "GET", "/api/user/seats"],
      [owner.token, "POST", "/api/user/seats/invitations", { email: freshEmail("more") }],
      [owner.token, "DELETE", `/api/user/seats/invitations/${link.invitation.id}`],
      [owner.token, "DELETE", `/api/user/seats/${member.user.id}`],
      [member.token, "DELETE", "/api/user/seat"],
      [invitee.token, "POST", "/api/seats/accept", { token: link.token }],
    ];
    for (const [token, method, path, json] of calls) {
      const res = await t.request(method, path, { token, json });
      expect([method, path, res.status, (await res.json()).error?.code]).toEqual([method, path, 401, "invalid_token"]);
    }
    expect(await state()).toEqual(before);
  });

  it("answers an admin naming an unknown user with 404 user_not_found, not the admin's own 401", async () => {
    const admin = await t.signup(undefined, { admin: true });
    const nobody = crypto.randomUUID();
    await expectRefusal(
      t,
      () => t.request("GET", `/api/admin/users/${nobody}/seats`, { token: admin.token }),
      404,
      "user_not_found",
    );
    await expectRefusal(
      t,
      () => t.request("DELETE", `/api/admin/users/${nobody}/seats/${crypto.randomUUID()}`, { token: admin.token }),
      404,
      "user_not_found",
    );
  });
});
