import { describe, expect, it } from "vitest";
import { action as adminRemoveAction } from "../../web/app/routes/admin.users.$userId.seats.tsx";
import { loader as adminUserLoader } from "../../web/app/routes/admin.users.$userId.tsx";
import { action as seatsAction } from "../../web/app/routes/profile.seats.tsx";
import { loader as profileLoader } from "../../web/app/routes/profile.tsx";
import { action as acceptAction, loader as acceptLoader } from "../../web/app/routes/seats.accept.tsx";
import { signupOnTier } from "../support/api-checks.ts";
import { api, setupInProcessApi } from "../support/in-process-api.ts";
import { afterResponse, get, post, run, sessionCookie } from "./kit.ts";

// The seat pages' loaders and actions against the real API in process (msw hands every call to the app).
setupInProcessApi();

const asSession = (signedUp: { token: string; user: { id: string; email: string; display_name: string } }) =>
  sessionCookie(signedUp.token, { ...signedUp.user, is_admin: false });

describe("seats through the web app", () => {
  it("the owner invites from Your Plan, a signed-out visitor sees the offer, signs up and joins", async () => {
    const owner = await signupOnTier(api, "family");
    const ownerCookie = await asSession(owner);
    const email = `web-invitee-${Date.now()}@example.com`;

    const invited = await run(seatsAction, post("/profile/seats", { intent: "invite", email }, ownerCookie));
    expect(invited.status).toBe(200);
    const { invited: link } = (await invited.json()) as { invited: { email: string; url: string } };
    expect(link.email).toBe(email);
    const token = new URL(link.url).searchParams.get("token") as string;

    const again = await run(seatsAction, post("/profile/seats", { intent: "invite", email }, ownerCookie));
    expect(again.status).toBe(302);
    expect((await afterResponse(again)).toast).toMatchObject({
      kind: "error",
      message: expect.stringMatching(/pending invitation/),
    });

    const ownerPage = (await (await run(profileLoader, get("/profile", ownerCookie))).json()) as {
      seats: { seats_used: number; invitations: { email: string }[] };
    };
    expect(ownerPage.seats.seats_used).toBe(2);
    expect(ownerPage.seats.invitations.map((i) => i.email)).toEqual([email]);

    const signedOut = await run(acceptLoader, get(`/seats/accept?token=${token}`));
    expect(await signedOut.json()).toMatchObject({
      signedInAs: null,
      problem: null,
      invitation: { email, status: "pending", tier_name: "Family", owner_display_name: owner.user.display_name },
    });
    const bogus = await run(acceptLoader, get("/seats/accept?token=nope"));
    expect(await bogus.json()).toMatchObject({ invitation: null, problem: "This invitation link is not valid." });

    const invitee = await api.signup(email);
    const inviteeCookie = await asSession(invitee);
    const joined = await run(acceptAction, post("/seats/accept", { token }, inviteeCookie));
    expect(joined.status).toBe(302);
    expect(joined.headers.get("Location")).toBe("/profile");
    const after = await afterResponse(joined);
    expect(after.toast).toMatchObject({ kind: "success", message: expect.stringMatching(/joined/) });
    const memberPage = (await (await run(profileLoader, get("/profile", after.cookie))).json()) as {
      overview: { subscription: { tier: { slug: string }; via: string; seat_owner: string } };
    };
    expect(memberPage.overview.subscription).toMatchObject({
      tier: { slug: "family" },
      via: "seat",
      seat_owner: owner.user.display_name,
    });

    const reused = await run(acceptAction, post("/seats/accept", { token }, after.cookie));
    expect(reused.headers.get("Location")).toBe(`/seats/accept?token=${token}`);
    expect((await afterResponse(reused)).toast).toMatchObject({ kind: "error" });

    const left = await run(seatsAction, post("/profile/seats", { intent: "leave" }, after.cookie));
    expect(left.headers.get("Location")).toBe("/profile");
    expect((await afterResponse(left)).toast).toMatchObject({ kind: "success", message: "You left the shared plan." });
  });

  it("the admin user page shows an owner's members, and an admin removes one with a reason", async () => {
    const owner = await signupOnTier(api, "business");
    const email = `web-member-${Date.now()}@example.com`;
    const invitation = await (
      await api.request("POST", "/api/user/seats/invitations", { token: owner.token, json: { email } })
    ).json();
    const invitee = await api.signup(email);
    const token = new URL(invitation.accept_url).searchParams.get("token");
    expect((await api.request("POST", "/api/seats/accept", { token: invitee.token, json: { token } })).status).toBe(
      200,
    );

    const admin = await api.signup(undefined, { admin: true });
    const adminCookie = await sessionCookie(admin.token, { ...admin.user, is_admin: true });
    const page = (await (
      await run(adminUserLoader, get(`/admin/users/${owner.user.id}`, adminCookie), { userId: owner.user.id })
    ).json()) as {
      seats: { members: { user_id: string }[] };
    };
    expect(page.seats.members.map((m) => m.user_id)).toEqual([invitee.user.id]);
    const memberPage = (await (
      await run(adminUserLoader, get(`/admin/users/${invitee.user.id}`, adminCookie), { userId: invitee.user.id })
    ).json()) as {
      seats: { seat: { owner_id: string } | null };
    };
    expect(memberPage.seats.seat?.owner_id).toBe(owner.user.id);

    api.clock.advance({ minutes: 1 });
    const removed = await run(
      adminRemoveAction,
      post(`/admin/users/${owner.user.id}/seats`, { member_id: invitee.user.id, reason: "Left the team" }, adminCookie),
      { userId: owner.user.id },
    );
    expect(removed.headers.get("Location")).toBe(`/admin/users/${owner.user.id}`);
    expect((await afterResponse(removed)).toast).toMatchObject({ kind: "success" });
    const history = await (
      await api.request("GET", `/api/admin/subscriptions/${invitee.user.id}/history`, { token: admin.token })
    ).json();
    expect(history.history[0]).toMatchObject({
      action: "seat_removed",
      is_admin_action: true,
      reason: "Removed by an admin: Left the team",
    });
  });
});
