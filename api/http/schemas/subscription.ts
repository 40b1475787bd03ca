import { z } from "@hono/zod-openapi";
import { BILLING_CYCLES } from "../../../db/schema.ts";
import { userText } from "./text.ts";

// Slugs are checked against the database by the lifecycle service; the pattern only keeps junk
// (whitespace, SQL, megabytes of text) from reaching it.
export const tierSlug = z
  .string()
  .max(50)
  .regex(/^[a-z0-9][a-z0-9_-]*$/, "Must be a tier slug such as member or pro.");

export const billingCycle = z.enum(BILLING_CYCLES);

export const optionalReason = userText(500).optional();

export const upgradeBody = z.strictObject({ tier_slug: tierSlug, billing_cycle: billingCycle });

export const downgradeBody = z.strictObject({ tier_slug: tierSlug, reason: optionalReason });

export const cancelBody = z.strictObject({ reason: optionalReason });

/** Stripe's rule: any printable ASCII up to 255 characters, chosen by the client (a UUID is typical). */
export const idempotencyKeyHeader = z
  .string()
  .min(1)
  .max(255)
  .regex(/^[\x20-\x7e]+$/, "Must be printable ASCII.");

/**
 * The Idempotency-Key header as the OpenAPI document lists it. The idempotency middleware validates
 * it with its own error code before the route's validators run, so routes list it with
 * headerParameter instead of declaring a header schema.
 */
export const IdempotencyKeyParameter = idempotencyKeyHeader.optional().openapi("IdempotencyKey", {
  param: { name: "Idempotency-Key", in: "header", required: false },
  description:
    "Makes a retry safe for 24 h: the same key and body replay the stored response (header Idempotent-Replayed: true); " +
    "the same key with another body is refused with 422 idempotency_key_reused.",
});
