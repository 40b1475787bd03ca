import { eq, sql } from "drizzle-orm";
import { decodeJwt } from "jose";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { findCurrentWithSeat } from "../../api/services/seats/index.ts";
import { findCurrent } from "../../api/services/subscriptions/index.ts";
import { seatMemberships, userTiers } from "../../db/schema.ts";
import { signupOnTier } from "../support/api-checks.ts";
import { createTestApp, type TestApp } from "../support/test-app.ts";

// The subscription page's one statement reads the rows as JSON and maps them by hand: they must come
// back exactly as Drizzle's own reads of the same rows return them.

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(() => t.close());

const claimsOf = (token: string) => decodeJwt(token) as { user_id: string; sid: string };

async function expectSameAsDrizzle(token: string) {
  const { user_id, sid } = claimsOf(token);
  const found = await findCurrentWithSeat(t.db, user_id, sid);
  expect(found?.subscription).toEqual(await findCurrent(t.db, user_id));
  expect(await findCurrentWithSeat(t.db, user_id, undefined)).toEqual(found);
  return found;
}

describe("findCurrentWithSeat", () => {
  it("returns the current subscription and its tier as Drizzle reads them, in every state", async () => {
    const member = await t.signup();
    const found = await expectSameAsDrizzle(member.token);
    expect(found?.subscription.tierSlug).toBe("member");
    expect(found?.seat).toBeNull();

    const paid = await signupOnTier(t, "pro");
    expect((await expectSameAsDrizzle(paid.token))?.subscription).toMatchObject({ billingCycle: "monthly" });

    const cancelled = await signupOnTier(t, "business", "annual");
    const cancel = await t.request("DELETE", "/api/user/subscription/cancel", { token: cancelled.token });
    expect(cancel.status).toBe(200);
    expect((await expectSameAsDrizzle(cancelled.token))?.subscription.cancelledAt).toBeInstanceOf(Date);

    const downgrading = await signupOnTier(t, "business");
    const downgrade = await t.request("POST", "/api/user/subscription/downgrade", {
      token: downgrading.token,
      json: { tier_slug: "pro" },
    });
    expect(downgrade.status).toBe(200);
    expect((await expectSameAsDrizzle(downgrading.token))?.subscription.scheduledTierSlug).toBe("pro");

    const overdue = await signupOnTier(t, "pro");
    const graceUntil = new Date(t.clock.now().getTime() + 3 * 24 * 3600 * 1000);
    await t.db.execute(
      sql`UPDATE user_subscriptions SET status = 'past_due', grace_until = ${graceUntil.toISOString()}::timestamptz,
            payment_provider = 'stripe', payment_provider_id = 'sub_test'
          WHERE user_id = ${overdue.user.id}::uuid AND status = 'active'`,
    );
    expect((await expectSameAsDrizzle(overdue.token))?.subscription).toMatchObject({
      status: "past_due",
      graceUntil,
      paymentProviderId: "sub_test",
    });
  });

  it("returns a member's seat: the owner, when they joined and the owner's tier as Drizzle reads them", async () => {
    const owner = await signupOnTier(t, "family");
    const invitation = await t.request("POST", "/api/user/seats/invitations", {
      token: owner.token,
      json: { email: "seat-reader@example.com" },
    });
    expect(invitation.status).toBe(201);
    const link = new URL((await invitation.json()).accept_url).searchParams.get("token");
    const member = await t.signup("seat-reader@example.com");
    const joined = await t.request("POST", "/api/seats/accept", { token: member.token, json: { token: link } });
    expect(joined.status).toBe(200);
    const found = await expectSameAsDrizzle(member.token);
    const [membership] = await t.db.select().from(seatMemberships).where(eq(seatMemberships.memberId, member.user.id));
    const [family] = await t.db.select().from(userTiers).where(eq(userTiers.slug, "family"));
    expect(found?.seat).toEqual({
      ownerId: owner.user.id,
      ownerDisplayName: owner.user.display_name,
      ownerEmail: owner.user.email,
      joinedAt: membership?.joinedAt,
      tier: family,
    });
  });

  it("finds nothing for a session that ended or belongs to someone else", async () => {
    const user = await t.signup();
    const other = await t.signup();
    const { user_id, sid } = claimsOf(user.token);
    expect(await findCurrentWithSeat(t.db, user_id, claimsOf(other.token).sid)).toBeNull();
    expect((await t.request("POST", "/api/auth/logout", { token: user.token })).status).toBe(200);
    expect(await findCurrentWithSeat(t.db, user_id, sid)).toBeNull();
    expect(await findCurrentWithSeat(t.db, user_id, undefined)).not.toBeNull();
  });
});
