import { sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { runScheduledPass } from "../../api/services/scheduled-pass.ts";
import { queryRows } from "../../db/client/types.ts";
import { expectRefusal } from "../support/api-checks.ts";
import {
  accept,
  freshEmail,
  invited,
  ownerWithMembers,
  seatsOf,
  setupSeatsWorld,
  subscriptionOf,
  t,
} from "../support/seats-world.ts";
import { historyOf, tierClaims } from "../support/subscription-state.ts";

// Seats ending: a member leaves or is removed, the owner cancels, the plan shrinks, an admin removes.
setupSeatsWorld();

describe("seats on a shared plan", () => {
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
