import { Check } from "lucide-react";
import type { ComponentPropsWithoutRef } from "react";
import type { TierFeatures } from "../../../api/http/schemas/tier-json.ts";
import { featureList } from "../lib/format.ts";

type FeatureListProps = { features: TierFeatures } & Omit<ComponentPropsWithoutRef<"ul">, "children">;

/** A tier's features as a checked list; nothing at all for a tier that lists none (`{}`). */
export function FeatureList({ features, className = "", ...rest }: FeatureListProps) {
  const lines = featureList(features);
  if (lines.length === 0) return null;
  return (
    <ul {...rest} className={`${className} space-y-1.5 text-sm`}>
      {lines.map((feature) => (
        <li key={feature} className="flex gap-2">
          <Check aria-hidden="true" className="mt-0.5 size-4 shrink-0 text-emerald-600" />
          {feature}
        </li>
      ))}
    </ul>
  );
}
