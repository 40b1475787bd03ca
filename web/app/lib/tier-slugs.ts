// The five launch tiers the web colours and filters by; the API's catalog (GET /api/tiers) may hold more.
export const TIER_SLUGS = ["member", "pro", "business", "elite", "family"] as const;
export type TierSlug = (typeof TIER_SLUGS)[number];

export function isTierSlug(value: unknown): value is TierSlug {
  return typeof value === "string" && (TIER_SLUGS as readonly string[]).includes(value);
}
