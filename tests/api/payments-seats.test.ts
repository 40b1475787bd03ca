// Seats on a Stripe-billed plan: wherever the provider ends or shrinks the owner's access (a
// webhook, the cron's end of a grace period, the billing portal), the members' seats go with it,
// in the same change.
import { eq, sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { paymentsFor } from "../../api/services/payments/index.ts";
import { runScheduledPass } from "../../api/services/scheduled-pass.ts";
import { checkTierLevel } from "../../api/services/tier-access.ts";
import { queryRows } from "../../db/client/types.ts";
import { seatMemberships } from "../../db/schema.ts";
import { type StripeTestApp, setupStripeTestApp } from "../support/stripe-test.ts";
import { currentState, historyOf } from "../support/subscription-state.ts";

const app = setupStripeTestApp();

let sequence = 0;
const freshEmail = (name: string) => `${name}-${++sequence}-${Math.random().toString(36).slice(2, 7)}@example.com`;

/** A Family owner billed by Stripe, `count` members who joined, and one invitation still open. */
async function stripeOwnerWithMembers(t: StripeTestApp, count: number) {
  const owner = await t.signup();
  t.clock.advance({ minutes: 1 });
  const { subscriptionId, token } = await t.subscribe(owner.token, "family");
  const members = [];
  for (let i = 0; i < count; i += 1) {
    const email = freshEmail(`member${i}`);
    const invited = await t.request("POST", "/api/user/seats/invitations", { token, json: { email } });
    expect(invited.status).toBe(201);
    const link = new URL((await invited.json()).accept_url).searchParams.get("token");
    const member = await t.signup(email);
    const joined = await t.request("POST", "/api/seats/accept", { token: member.token, json: { token: link } });
    expect(joined.status).toBe(200);
    members.push(member.user);
    t.clock.advance({ minutes: 1 });
  }
  const pending = await t.request("POST", "/api/user/seats/invitations", {
    token,
    json: { email: freshEmail("pending") },
  });
  expect(pending.status).toBe(201);
  t.clock.advance({ days: 1 });
  return { owner: owner.user, token, subscriptionId, members };
}

const membersOf = (t: StripeTestApp, ownerId: string) =>
  t.db.select().from(seatMemberships).where(eq(seatMemberships.ownerId, ownerId));

const openInvitations = async (t: StripeTestApp, ownerId: string) =>
  (
    await queryRows<{ n: number }>(
      t.db,
      sql`SELECT count(*)::int AS n FROM seat_invitations WHERE owner_id = ${ownerId}::uuid AND accepted_at IS NULL AND revoked_at IS NULL`,
    )
  )[0]!.n;

/** The owner's access ended and every seat went in the same change: the same instant in the history. */
async function expectSeatsEndedWithAccess(t: StripeTestApp, ownerId: string, memberIds: string[]) {
  expect(await membersOf(t, ownerId)).toEqual([]);
  expect(await openInvitations(t, ownerId)).toBe(0);
  const history = await historyOf(t.db, ownerId);
  const expired = history.find((h) => h.action === "expired")!;
  expect(expired).toMatchObject({ fromTierSlug: "family", toTierSlug: "member", paymentProvider: "stripe" });
  const removed = history.filter((h) => h.action === "seat_removed");
  // One row per member and one for the withdrawn invitation, written with the expiry.
  expect(removed).toHaveLength(memberIds.length + 1);
  for (const row of removed) expect(row.createdAt).toEqual(expired.createdAt);
  for (const memberId of memberIds) {
    expect((await checkTierLevel(t.db, memberId, 5)).allowed).toBe(false);
    expect((await historyOf(t.db, memberId)).at(-1)).toMatchObject({
      action: "seat_removed",
      fromTierSlug: "family",
      toTierSlug: "member",
      createdAt: expired.createdAt,
    });
  }
}

describe("seats on a Stripe-billed plan", () => {
  it("an owner whose Stripe subscription ends (webhook) loses the members' seats in the same change", async () => {
    const t = app();
    const { owner, subscriptionId, members } = await stripeOwnerWithMembers(t, 2);
    for (const member of members) expect((await checkTierLevel(t.db, member.id, 5)).allowed).toBe(true);

    t.stripe.endForNonPayment(subscriptionId, "canceled");
    const res = await t.deliver(t.stripe.lastEvent("customer.subscription.deleted"));
    expect(await res.json()).toMatchObject({ changed: true });

    expect((await currentState(t.db, owner.id)).subscription).toMatchObject({
      tierSlug: "member",
      paymentProvider: null,
    });
    await expectSeatsEndedWithAccess(
      t,
      owner.id,
      members.map((m) => m.id),
    );
  });

  it("keeps the seats through a failed payment's grace period; the cron's end of grace removes them", async () => {
    const t = app();
    const { owner, subscriptionId, members } = await stripeOwnerWithMembers(t, 1);
    t.clock.set((await currentState(t.db, owner.id)).subscription!.currentPeriodEnd!);
    t.stripe.declineCards = true;
    t.stripe.renew(subscriptionId);
    await t.deliver(t.stripe.lastEvent("invoice.payment_failed"));
    expect((await currentState(t.db, owner.id)).subscription).toMatchObject({ status: "past_due" });
    // past_due gives access while in grace: the member keeps Family.
    expect(await membersOf(t, owner.id)).toHaveLength(1);
    expect((await checkTierLevel(t.db, members[0]!.id, 5)).allowed).toBe(true);

    t.clock.advance({ days: 7, minutes: 1 });
    const pass = await runScheduledPass(t.db, { now: t.clock.now(), payments: paymentsFor(t.deps)! });
    expect(pass.graceEnded).toBe(1);
    await expectSeatsEndedWithAccess(t, owner.id, [members[0]!.id]);
  });

  it("a downgrade in the billing portal to a single-seat tier takes the seats", async () => {
    const t = app();
    const { owner, subscriptionId, members } = await stripeOwnerWithMembers(t, 1);
    t.stripe.portalChangePrice(subscriptionId, "tierkit_pro_monthly");
    expect(await (await t.deliver(t.stripe.lastEvent("customer.subscription.updated"))).json()).toMatchObject({
      changed: true,
    });
    expect((await currentState(t.db, owner.id)).subscription).toMatchObject({ tierSlug: "pro" });
    expect(await membersOf(t, owner.id)).toEqual([]);
    expect((await checkTierLevel(t.db, members[0]!.id, 2)).allowed).toBe(false);
    const downgraded = (await historyOf(t.db, owner.id)).find((h) => h.action === "downgraded")!;
    expect((await historyOf(t.db, members[0]!.id)).at(-1)).toMatchObject({
      action: "seat_removed",
      createdAt: downgraded.createdAt,
    });
  });
});
