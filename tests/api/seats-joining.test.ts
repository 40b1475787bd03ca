import { sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { queryRows } from "../../db/client/types.ts";
import { signupOnTier } from "../support/api-checks.ts";
import {
  accept,
  freshEmail,
  invite,
  invited,
  ownerWithMembers,
  seatsOf,
  setupSeatsWorld,
  subscriptionOf,
  t,
} from "../support/seats-world.ts";
import { historyOf, tierClaims } from "../support/subscription-state.ts";

// Joining a shared plan: the invitation, its link and the member's effective tier everywhere.
setupSeatsWorld();

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
});
