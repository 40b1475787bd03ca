import type { Tier } from "../../db/schema.ts";
import { ApiError } from "./errors/api-error.ts";

/**
 * A list filter naming a tier that does not exist is a typo, not an empty result: refuse it with
 * the same shape as a validation error, listing the slugs of `tiers` (every tier) that would work.
 */
export function assertKnownTier(tiers: Tier[], field: string, slug: string): void {
  const slugs = tiers.map((tier) => tier.slug);
  if (slugs.includes(slug)) return;
  const message = `Unknown tier "${slug}"; expected one of: ${slugs.join(", ")}.`;
  throw new ApiError(400, "validation_error", `${field}: ${message}`, { details: [{ path: field, message }] });
}
