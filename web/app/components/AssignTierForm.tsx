import { Form } from "@remix-run/react";
import type { Tier } from "../../../api/http/schemas/tier-json.ts";
import { byLevel } from "../lib/tiers.ts";
import { SubmitButton } from "./Button.tsx";
import { SelectField, TextAreaField } from "./Field.tsx";

interface AssignTierFormProps {
  userId: string;
  tiers: Tier[];
  currentTier?: string;
  /** Field errors from the action when the form was sent incomplete. */
  errors?: { tier_slug?: string; billing_cycle?: string; reason?: string };
  submitLabel?: string;
}

/**
 * The admin's tier assignment: a tier (no default: an explicit choice), a billing cycle for paid
 * tiers only, and a reason, which the history records.
 */
export function AssignTierForm({
  userId,
  tiers,
  currentTier,
  errors,
  submitLabel = "Assign tier",
}: AssignTierFormProps) {
  return (
    <Form method="post" preventScrollReset className="space-y-4">
      <input type="hidden" name="user_id" value={userId} />
      <div className="grid gap-4 sm:grid-cols-2">
        <SelectField label="Tier" name="tier_slug" defaultValue="" required error={errors?.tier_slug}>
          <option value="" disabled>
            Choose a tier
          </option>
          {byLevel(tiers).map((tier) => (
            <option key={tier.slug} value={tier.slug} data-paid={tier.is_paid ? "" : undefined}>
              {tier.name}
              {tier.slug === currentTier ? " (current)" : ""}
            </option>
          ))}
        </SelectField>
        <div className="billing-cycle-field">
          <SelectField label="Billing cycle" name="billing_cycle" defaultValue="monthly" error={errors?.billing_cycle}>
            <option value="monthly">Monthly</option>
            <option value="annual">Annual</option>
          </SelectField>
        </div>
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
