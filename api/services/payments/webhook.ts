import { and, eq } from "drizzle-orm";
import Stripe from "stripe";
import type { Database } from "../../../db/client/types.ts";
import { paymentEvents } from "../../../db/schema.ts";
import { type ProviderEvent, recordProviderEvent, SubscriptionError } from "../subscriptions/index.ts";
import type { StripeContext } from "./context.ts";
import { linkCustomer, userOfCustomer } from "./customers.ts";
import { PaymentError } from "./payment-error.ts";
import { syncUser } from "./sync.ts";

/** The events that can change a user's subscription; any other is acknowledged and ignored. */
export const HANDLED_EVENTS = new Set([
  "checkout.session.completed",
  "customer.subscription.created",
  "customer.subscription.updated",
  "customer.subscription.deleted",
  "invoice.paid",
  "invoice.payment_failed",
]);

const cryptoProvider = Stripe.createSubtleCryptoProvider();
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export interface WebhookOutcome {
  eventId: string;
  type: string;
  /** ignored: not an event tierkit handles; duplicate: applied before; applied: mapped (maybe with no change). */
  result: "ignored" | "duplicate" | "applied" | "no_user";
  changed: boolean;
}

/** Verifies the signature of the raw body (Stripe's tolerance, counted from the app clock). */
export async function verifyEvent(ctx: StripeContext, rawBody: string, signature: string | undefined, now: Date) {
  if (!signature) throw new PaymentError("invalid", "invalid_signature", "The Stripe-Signature header is missing.");
  try {
    return await ctx.stripe.webhooks.constructEventAsync(
      rawBody,
      signature,
      ctx.settings.webhookSecret,
      undefined,
      cryptoProvider,
      // Milliseconds, despite the parameter's name in other Stripe SDKs.
      now.getTime(),
    );
  } catch (error) {
    if (error instanceof Stripe.errors.StripeSignatureVerificationError) {
      throw new PaymentError("invalid", "invalid_signature", `The webhook signature does not verify: ${error.message}`);
    }
    throw error;
  }
}

async function eventRecorded(db: Database, event: ProviderEvent): Promise<boolean> {
  const [row] = await db
    .select({ id: paymentEvents.eventId })
    .from(paymentEvents)
    .where(and(eq(paymentEvents.provider, event.provider), eq(paymentEvents.eventId, event.id)));
  return Boolean(row);
}

function customerOf(object: { customer?: string | { id: string } | null }): string | null {
  const { customer } = object;
  if (!customer) return null;
  return typeof customer === "string" ? customer : customer.id;
}

/**
 * One verified event: the user is found by the Stripe customer (or, for a completed checkout, by the
 * user id the session carries), then their subscription is re-read from Stripe and mapped through
 * the lifecycle with the event id recorded in the same transaction.
 */
export async function handleStripeEvent(
  ctx: StripeContext,
  db: Database,
  input: { rawBody: string; signature: string | undefined; now: Date },
): Promise<WebhookOutcome> {
  const event = await verifyEvent(ctx, input.rawBody, input.signature, input.now);
  const outcome = { eventId: event.id, type: event.type };
  if (!HANDLED_EVENTS.has(event.type)) return { ...outcome, result: "ignored", changed: false };
  const object = event.data.object as {
    customer?: string | { id: string } | null;
    client_reference_id?: string | null;
  };
  const customerId = customerOf(object);
  let userId = customerId ? await userOfCustomer(db, customerId) : null;
  const referenced = object.client_reference_id;
  if (!userId && customerId && event.type === "checkout.session.completed" && referenced && UUID.test(referenced)) {
    userId = referenced;
    await linkCustomer(db, userId, customerId, input.now);
  }
  const providerEvent = { provider: "stripe" as const, id: event.id, type: event.type };
  // A redelivery costs no Stripe call; one racing its twin is still caught inside the change.
  if (await eventRecorded(db, providerEvent)) return { ...outcome, result: "duplicate", changed: false };
  if (!userId || !customerId) {
    const fresh = await recordProviderEvent(db, providerEvent, input.now);
    return { ...outcome, result: fresh ? "no_user" : "duplicate", changed: false };
  }
  try {
    const { change, duplicate } = await syncUser(ctx, db, { userId, customerId, now: input.now, event: providerEvent });
    return { ...outcome, result: duplicate ? "duplicate" : "applied", changed: Boolean(change) };
  } catch (error) {
    // The session named a user who is gone: acknowledged, or Stripe would retry it for days.
    if (!(error instanceof SubscriptionError && error.code === "user_not_found")) throw error;
    const fresh = await recordProviderEvent(db, providerEvent, input.now);
    return { ...outcome, result: fresh ? "no_user" : "duplicate", changed: false };
  }
}
