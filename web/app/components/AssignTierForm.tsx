import { Form } from "@remix-run/react";
import type { Tier } from "../../../api/http/schemas/tier-json.ts";
import { SubmitButton } from "./Button.tsx";
import { SelectField, TextAreaField } from "./Field.tsx";

interface AssignTierFormProps {
  userId: string;
  tiers: Tier[];
  currentTier?: string;
  /** Field errors from the action when the form was sent incomplete. */
  errors?: { tier_slug?: string; reason?: string };
  submitLabel?: string;
}

/** The admin's tier assignment: tier, billing cycle and a reason, which the history records. */
export function AssignTierForm({ userId, tiers, currentTier, errors, submitLabel = "Assign tier" }: AssignTierFormProps) {
  const firstOther = tiers.find((tier) => tier.slug !== currentTier)?.slug;
  return (
    <Form method="post" preventScrollReset className="space-y-4">
      <input type="hidden" name="user_id" value={userId} />
      <div className="grid gap-4 sm:grid-cols-2">
        <SelectField label="Tier" name="tier_slug" defaultValue={firstOther} required error={errors?.tier_slug}>
          {tiers.map((tier) => (
            <option key={tier.slug} value={tier.slug}>
              {tier.name}
              {tier.slug === currentTier ? " (current)" : ""}
            </option>
          ))}
        </SelectField>
        <SelectField label="Billing cycle" name="billing_cycle" defaultValue="monthly" required>
          <option value="monthly">Monthly</option>
          <option value="annual">Annual</option>
        </SelectField>
      </div>
      <TextAreaField
        label="Reason"
        name="reason"
        required
        maxLength={500}
        hint="Kept in the user's subscription history."
        error={errors?.reason}
      />
      <SubmitButton intent="assign-tier" pendingLabel="Assigning…">
        {submitLabel}
      </SubmitButton>
    </Form>
  );
}
