import type { Tier } from "../../../api/http/schemas/tier-json.ts";

/** What a badge needs to show a tier: its slug, its name and its level (null when unknown). */
export interface TierRef {
  slug: string;
  name: string;
  level: number | null;
}

export const refOf = (tier: Tier): TierRef => ({ slug: tier.slug, name: tier.name, level: tier.tier_level });

/** The catalog's entry for `slug`; a slug the catalog does not list still shows, by its slug. */
export function tierRef(tiers: readonly Tier[], slug: string): TierRef {
  const tier = tiers.find((candidate) => candidate.slug === slug);
  return tier ? refOf(tier) : { slug, name: slug, level: null };
}

export function byLevel(tiers: readonly Tier[]): Tier[] {
  return [...tiers].sort((a, b) => a.tier_level - b.tier_level);
}

/**
 * The tier a cancelled plan returns to: the catalog's first (lowest) tier, which is what every
 * account starts on. The API does not name it per subscription.
 */
export function baseTier(tiers: readonly Tier[]): Tier | undefined {
  return byLevel(tiers)[0];
}
