import { TIER_SLUGS } from "../lib/tier-slugs.ts";
import { titleCase } from "../lib/format.ts";
import { SelectField } from "./Field.tsx";

/** The admin lists' tier filter, for a FilterBar. Keyed on the value so it resets when the URL changes. */
export function TierFilterSelect({ value }: { value: string }) {
  return (
    <div className="sm:w-48">
      <SelectField label="Tier" name="tier" defaultValue={value} key={`tier-${value}`}>
        <option value="all">All tiers</option>
        {TIER_SLUGS.map((slug) => (
          <option key={slug} value={slug}>
            {titleCase(slug)}
          </option>
        ))}
      </SelectField>
    </div>
  );
}
