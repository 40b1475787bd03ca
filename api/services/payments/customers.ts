import { and, eq, isNull } from "drizzle-orm";
import type { Database } from "../../../db/client/types.ts";
import { users } from "../../../db/schema.ts";
import type { StripeContext } from "./context.ts";
import { stripeCall } from "./payment-error.ts";

export async function customerIdOf(db: Database, userId: string): Promise<string | null> {
  const [row] = await db.select({ id: users.stripeCustomerId }).from(users).where(eq(users.id, userId));
  return row?.id ?? null;
}

export async function userOfCustomer(db: Database, customerId: string): Promise<string | null> {
  const [row] = await db.select({ id: users.id }).from(users).where(eq(users.stripeCustomerId, customerId));
  return row?.id ?? null;
}

/** Stores the customer on a user that has none yet; the one already stored wins. */
export async function linkCustomer(db: Database, userId: string, customerId: string, now: Date): Promise<string> {
  await db
    .update(users)
    .set({ stripeCustomerId: customerId, updatedAt: now })
    .where(and(eq(users.id, userId), isNull(users.stripeCustomerId)));
  return (await customerIdOf(db, userId)) ?? customerId;
}

/**
 * The user's Stripe customer, created on first use. The idempotency key makes two concurrent first
 * checkouts get the same customer from Stripe, so the user never ends up with two.
 */
export async function ensureCustomer(
  ctx: StripeContext,
  db: Database,
  account: { userId: string; email: string; displayName: string },
  now: Date,
): Promise<string> {
  const known = await customerIdOf(db, account.userId);
  if (known) return known;
  const customer = await stripeCall(() =>
    ctx.stripe.customers.create(
      { email: account.email, name: account.displayName, metadata: { user_id: account.userId } },
      { idempotencyKey: `tierkit-customer-${account.userId}` },
    ),
  );
  return linkCustomer(db, account.userId, customer.id, now);
}
