import type { Tier } from "../../../api/http/schemas/tier-json.ts";
import { byLevel } from "../lib/tiers.ts";
import { SelectField } from "./Field.tsx";

/** The admin lists' tier filter, for a FilterBar. Keyed on the value so it resets when the URL changes. */
export function TierFilterSelect({ value, tiers }: { value: string; tiers: Tier[] }) {
  return (
    <div className="sm:w-48">
      <SelectField label="Tier" name="tier" defaultValue={value} key={`tier-${value}`}>
        <option value="all">All tiers</option>
        {byLevel(tiers).map((tier) => (
          <option key={tier.slug} value={tier.slug}>
            {tier.name}
          </option>
        ))}
      </SelectField>
    </div>
  );
}
