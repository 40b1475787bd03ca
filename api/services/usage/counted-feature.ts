import type { Tier } from "../../../db/schema.ts";
import { entitlementsOf, type LimitSpec, limitsOf } from "../entitlements/features.ts";
import { ServiceError } from "../service-error.ts";

export type CountedFeature = Pick<LimitSpec, "feature" | "key" | "window">;

/**
 * What a counter name means, as the catalog's tiers define it: `messages` is `messages_per_day`,
 * counted per UTC day; `documents` a running total. A name no tier limits is not a counter.
 */
export function countedFeature(tiers: Tier[], feature: string): CountedFeature {
  for (const tier of tiers) {
    const spec = limitsOf(entitlementsOf(tier.features as unknown as Record<string, unknown>)).find(
      (limit) => limit.feature === feature,
    );
    if (spec) return { feature: spec.feature, key: spec.key, window: spec.window };
  }
  throw new ServiceError("not_found", "unknown_feature", `No tier limits a feature called "${feature}".`);
}
