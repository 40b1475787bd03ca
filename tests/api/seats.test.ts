import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runScheduledPass } from "../../api/services/scheduled-pass.ts";
import { queryRows } from "../../db/client/types.ts";
import { expectRefusal, signupOnTier } from "../support/api-checks.ts";
import { historyOf, tierClaims } from "../support/subscription-state.ts";
import { createTestApp, type TestApp } from "../support/test-app.ts";

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(() => t.close());

let sequence = 0;
const freshEmail = (name = "guest") => `${name}-${++sequence}-${Math.random().toString(36).slice(2, 7)}@example.com`;

async function invite(token: string, email: string) {
  return t.request("POST", "/api/user/seats/invitations", { token, json: { email } });
}

async function invited(token: string, email: string) {
  const res = await invite(token, email);
  expect(res.status).toBe(201);
  const body = await res.json();
  return { ...body, token: new URL(body.accept_url).searchParams.get("token") as string };
}

const accept = (token: string, invitationToken: string) =>
  t.request("POST", "/api/seats/accept", { token, json: { token: invitationToken } });

/** An owner on `tier` and `count` members who joined through invitations, oldest first. */
async function ownerWithMembers(tier: string, count: number) {
  const owner = await signupOnTier(t, tier);
  const members = [];
  for (let i = 0; i < count; i += 1) {
    const email = freshEmail(`member${i}`);
    const link = await invited(owner.token, email);
    const member = await t.signup(email);
    const res = await accept(member.token, link.token);
    expect(res.status).toBe(200);
    members.push({ ...member, token: (await res.json()).token as string });
    t.clock.advance({ minutes: 1 });
  }
  return { owner, members };
}

const seatsOf = async (token: string) => (await t.request("GET", "/api/user/seats", { token })).json();
const subscriptionOf = async (token: string) => (await t.request("GET", "/api/user/subscription", { token })).json();

describe("seats on a shared plan", () => {
  it("invites with a hashed single-use link on the app's origin, then the invited user joins and gets Family everywhere", async () => {
    const owner = await signupOnTier(t, "family");
    const email = freshEmail("kid");
    const res = await invite(owner.token, email);
    expect(res.status).toBe(201);
    const body = await res.json();
    expect(body).toMatchObject({
      success: true,
      invitation: { email, created_at: t.clock.now().toISOString() },
      email_sent: true,
      seats_used: 2,
      seats_left: 4,
    });
    expect(new Date(body.invitation.expires_at).getTime() - t.clock.now().getTime()).toBe(7 * 24 * 3600 * 1000);
    const url = new URL(body.accept_url);
    expect(`${url.origin}${url.pathname}`).toBe("http://localhost:3000/seats/accept");
    const secret = url.searchParams.get("token") as string;
    expect(secret).toMatch(/^[A-Za-z0-9_-]{43}$/);
    const stored = await queryRows<{ token_hash: string }>(
      t.db,
      sql`SELECT token_hash FROM seat_invitations WHERE email = ${email}`,
    );
    expect(stored).toHaveLength(1);
    expect(stored[0]?.token_hash).not.toContain(secret);
    expect(t.logs.find((entry) => entry.msg === "seat.invitation" && entry.to === email)).toMatchObject({
      accept_url: body.accept_url,
    });

    const pending = await seatsOf(owner.token);
    expect(pending).toMatchObject({
      tier_slug: "family",
      seats: 6,
      seats_used: 2,
      seats_left: 4,
      members: [],
      seat: null,
    });
    expect(pending.invitations).toEqual([body.invitation]);

    const preview = await (await t.request("GET", `/api/seats/invitation?token=${secret}`)).json();
    expect(preview.invitation).toMatchObject({
      email,
      status: "pending",
      tier_name: "Family",
      owner_display_name: owner.user.display_name,
    });

    const member = await t.signup(email.toUpperCase());
    t.clock.advance({ minutes: 1 });
    const joined = await accept(member.token, secret);
    expect(joined.status).toBe(200);
    const joinedBody = await joined.json();
    expect(joinedBody.seat).toMatchObject({
      owner_id: owner.user.id,
      tier_slug: "family",
      owner_display_name: owner.user.display_name,
    });
    expect(tierClaims(joinedBody.token)).toMatchObject({
      tier_slug: "family",
      tier_level: 5,
      subscription_status: "active",
    });

    const mine = await subscriptionOf(joinedBody.token);
    expect(mine.subscription).toMatchObject({
      tier: { slug: "family", level: 5 },
      via: "seat",
      seat_owner: owner.user.display_name,
      billing_cycle: null,
    });
    expect(mine.can_upgrade).toBe(false);
    const profile = await (await t.request("GET", "/api/user/profile", { token: member.token })).json();
    expect(profile.user).toMatchObject({ tier_slug: "family", tier_level: 5 });
    expect((await t.request("GET", "/api/features/priority-support", { token: member.token })).status).toBe(200);
    // Entitlements and usage limits follow the effective tier too: Family's messages are unlimited.
    const entitlements = await (await t.request("GET", "/api/user/entitlements", { token: member.token })).json();
    expect(entitlements.tier).toEqual({ slug: "family", level: 5 });
    expect(entitlements.features).toContainEqual(expect.objectContaining({ feature: "messages", limit: null }));
    const login = await t.request("POST", "/api/auth/login", {
      json: { email, password: "correct horse battery" },
      headers: { "cf-connecting-ip": "10.200.0.1" },
    });
    expect(tierClaims((await login.json()).token)).toMatchObject({ tier_slug: "family" });

    const after = await seatsOf(owner.token);
    expect(after).toMatchObject({ seats_used: 2, seats_left: 4, invitations: [] });
    expect(after.members).toEqual([
      {
        user_id: member.user.id,
        email: member.user.email,
        display_name: member.user.display_name,
        joined_at: t.clock.now().toISOString(),
      },
    ]);
    expect((await seatsOf(member.token)).seat).toMatchObject({ owner_id: owner.user.id });

    const ownerActions = (await historyOf(t.db, owner.user.id)).map((row) => row.action);
    expect(ownerActions.slice(-2)).toEqual(["seat_invited", "seat_joined"]);
    const memberRows = await historyOf(t.db, member.user.id);
    expect(memberRows.at(-1)).toMatchObject({ action: "seat_joined", fromTierSlug: "member", toTierSlug: "family" });

    const admin = await t.signup(undefined, { admin: true });
    const listed = await (
      await t.request("GET", `/api/admin/users?q=${encodeURIComponent(member.user.email)}`, { token: admin.token })
    ).json();
    expect(listed.data[0]).toMatchObject({
      tier_slug: "member",
      seat_owner_id: owner.user.id,
      seat_owner_display_name: owner.user.display_name,
    });
    const stats = await (await t.request("GET", "/api/admin/subscription-stats", { token: admin.token })).json();
    expect(stats.stats.seat_members).toBeGreaterThanOrEqual(1);
  });

  it("a member with a paid plan of their own keeps it: Elite stays Elite on a Business seat, Pro shows the Family seat", async () => {
    const { owner: business } = await ownerWithMembers("business", 0);
    const elite = await signupOnTier(t, "elite");
    const link = await invited(business.token, elite.user.email);
    const res = await accept(elite.token, link.token);
    expect(tierClaims((await res.json()).token)).toMatchObject({ tier_slug: "elite" });
    expect((await subscriptionOf(elite.token)).subscription).toMatchObject({
      tier: { slug: "elite" },
      via: "own",
      seat_owner: null,
    });

    const family = await signupOnTier(t, "family");
    const pro = await signupOnTier(t, "pro", "annual");
    await accept(pro.token, (await invited(family.token, pro.user.email)).token);
    const overview = await subscriptionOf(pro.token);
    expect(overview.subscription).toMatchObject({
      tier: { slug: "family" },
      via: "seat",
      billing_cycle: "annual",
      status: "active",
    });
    // The own subscription is untouched and still renews.
    const [row] = await queryRows<{ tier_slug: string; billing_cycle: string }>(
      t.db,
      sql`SELECT tier_slug, billing_cycle FROM user_subscriptions WHERE user_id = ${pro.user.id}::uuid AND status = 'active'`,
    );
    expect(row).toEqual({ tier_slug: "pro", billing_cycle: "annual" });
  });

  it("a member leaves, an owner removes another: each back on their own tier, with history for both sides", async () => {
    const { owner, members } = await ownerWithMembers("family", 2);
    const [leaver, removed] = members;
    const left = await t.request("DELETE", "/api/user/seat", { token: leaver!.token });
    expect(left.status).toBe(200);
    expect(tierClaims((await left.json()).token)).toMatchObject({ tier_slug: "member" });
    expect((await historyOf(t.db, leaver!.user.id)).at(-1)).toMatchObject({
      action: "seat_left",
      fromTierSlug: "family",
      toTierSlug: "member",
    });

    t.clock.advance({ minutes: 1 });
    const res = await t.request("DELETE", `/api/user/seats/${removed!.user.id}`, { token: owner.token });
    expect(res.status).toBe(200);
    expect((await subscriptionOf(removed!.token)).subscription).toMatchObject({ tier: { slug: "member" }, via: "own" });
    expect((await historyOf(t.db, removed!.user.id)).at(-1)).toMatchObject({
      action: "seat_removed",
      changedByUserId: owner.user.id,
    });
    expect((await historyOf(t.db, owner.user.id)).slice(-2).map((row) => row.action)).toEqual([
      "seat_left",
      "seat_removed",
    ]);
    expect(await seatsOf(owner.token)).toMatchObject({ seats_used: 1, members: [] });
  });

  it("the owner cancels: members keep Family until the period ends, then the cron removes their seats with history", async () => {
    const { owner, members } = await ownerWithMembers("family", 2);
    const pendingEmail = freshEmail("late");
    const late = await invited(owner.token, pendingEmail);
    expect((await t.request("DELETE", "/api/user/subscription/cancel", { token: owner.token })).status).toBe(200);
    expect((await subscriptionOf(members[0]!.token)).subscription).toMatchObject({
      tier: { slug: "family" },
      via: "seat",
    });

    const [{ ends_at: endsAt } = { ends_at: "" }] = await queryRows<{ ends_at: string }>(
      t.db,
      sql`SELECT ends_at::text FROM user_subscriptions WHERE user_id = ${owner.user.id}::uuid AND status = 'cancelled'`,
    );
    t.clock.set(new Date(new Date(endsAt).getTime() + 60_000));
    await runScheduledPass(t.db, { now: t.clock.now() });

    for (const member of members) {
      // A month on, the old tokens have expired; the member signs in again.
      const overview = await subscriptionOf(await t.tokenFor(member.user.id));
      expect(overview.subscription).toMatchObject({ tier: { slug: "member" }, via: "own", seat_owner: null });
      expect((await historyOf(t.db, member.user.id)).at(-1)).toMatchObject({
        action: "seat_removed",
        fromTierSlug: "family",
        toTierSlug: "member",
      });
    }
    const ownerRows = (await historyOf(t.db, owner.user.id)).filter((row) => row.action === "seat_removed");
    expect(ownerRows).toHaveLength(3);
    const ownerToken = await t.tokenFor(owner.user.id);
    expect(await seatsOf(ownerToken)).toMatchObject({
      tier_slug: "member",
      seats: 1,
      seats_used: 1,
      members: [],
      invitations: [],
    });
    const newcomer = await t.signup(pendingEmail);
    await expectRefusal(t, () => accept(newcomer.token, late.token), 409, "invitation_revoked");
  });

  it("refuses an upgrade or downgrade to fewer seats than are in use (409 seats_in_use), allows a cancellation", async () => {
    const { owner } = await ownerWithMembers("business", 1);
    await invited(owner.token, freshEmail());
    const refused = await expectRefusal(
      t,
      () =>
        t.request("POST", "/api/user/subscription/upgrade", {
          token: owner.token,
          json: { tier_slug: "elite", billing_cycle: "monthly" },
        }),
      409,
      "seats_in_use",
    );
    expect(refused.error.details).toEqual([
      { path: "seats", message: "Remove 2 of 1 members and 1 pending invitations." },
    ]);
    expect(refused.error.message).toContain("remove 2");
    await expectRefusal(
      t,
      () => t.request("POST", "/api/user/subscription/downgrade", { token: owner.token, json: { tier_slug: "pro" } }),
      409,
      "seats_in_use",
    );
    expect(
      (
        await t.request("POST", "/api/user/subscription/upgrade", {
          token: owner.token,
          json: { tier_slug: "family", billing_cycle: "monthly" },
        })
      ).status,
    ).toBe(200);
    expect((await t.request("DELETE", "/api/user/subscription/cancel", { token: owner.token })).status).toBe(200);
  });

  it("an admin assignment that shrinks the seats removes the newest members and says so in the history", async () => {
    const { owner, members } = await ownerWithMembers("family", 5);
    const admin = await t.signup(undefined, { admin: true });
    const res = await t.request("POST", `/api/admin/subscriptions/${owner.user.id}/assign-tier`, {
      token: admin.token,
      json: { tier_slug: "business", billing_cycle: "monthly", reason: "Household split" },
    });
    expect(res.status).toBe(200);
    const seats = await seatsOf(owner.token);
    expect(seats.members.map((m: { user_id: string }) => m.user_id)).toEqual(members.slice(0, 4).map((m) => m.user.id));
    const newest = members[4]!;
    expect((await historyOf(t.db, newest.user.id)).at(-1)).toMatchObject({
      action: "seat_removed",
      isAdminAction: true,
      changedByUserId: admin.user.id,
      reason: "Seat removed: the plan now has 5 seats (Household split)",
    });
    expect((await subscriptionOf(members[0]!.token)).subscription.tier.slug).toBe("business");
  });

  it("an admin sees a user's seats and removes a member with a reason", async () => {
    const { owner, members } = await ownerWithMembers("business", 1);
    const admin = await t.signup(undefined, { admin: true });
    const view = await (
      await t.request("GET", `/api/admin/users/${owner.user.id}/seats`, { token: admin.token })
    ).json();
    expect(view).toMatchObject({
      tier_slug: "business",
      seats: 5,
      seats_used: 2,
      members: [{ user_id: members[0]!.user.id }],
    });
    const memberView = await (
      await t.request("GET", `/api/admin/users/${members[0]!.user.id}/seats`, { token: admin.token })
    ).json();
    expect(memberView.seat).toMatchObject({ owner_id: owner.user.id, tier_slug: "business" });
    await expectRefusal(
      t,
      () => t.request("DELETE", `/api/admin/users/${owner.user.id}/seats/${owner.user.id}`, { token: admin.token }),
      404,
      "not_a_member",
    );
    const res = await t.request("DELETE", `/api/admin/users/${owner.user.id}/seats/${members[0]!.user.id}`, {
      token: admin.token,
      json: { reason: "Asked by support" },
    });
    expect(res.status).toBe(200);
    expect((await historyOf(t.db, members[0]!.user.id)).at(-1)).toMatchObject({
      action: "seat_removed",
      isAdminAction: true,
      reason: "Removed by an admin: Asked by support",
    });
    const forbidden = await t.request("GET", `/api/admin/users/${owner.user.id}/seats`, { token: owner.token });
    expect(forbidden.status).toBe(403);
  });
});

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
