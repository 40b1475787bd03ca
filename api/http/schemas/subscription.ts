import { z } from "zod";
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
