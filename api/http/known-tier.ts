import type { Database } from "../../db/client/types.ts";
import { listTiers } from "../services/subscriptions/index.ts";
import { ApiError } from "./errors/api-error.ts";

/**
 * A list filter naming a tier that does not exist is a typo, not an empty result: refuse it with
 * the same shape as a validation error, listing the slugs that would work.
 */
export async function assertKnownTier(db: Database, field: string, slug: string): Promise<void> {
  const slugs = (await listTiers(db)).map((tier) => tier.slug);
  if (slugs.includes(slug)) return;
  const message = `Unknown tier "${slug}"; expected one of: ${slugs.join(", ")}.`;
  throw new ApiError(400, "validation_error", `${field}: ${message}`, { details: [{ path: field, message }] });
}
