import type { Subscription } from "../../../api/http/schemas/tier-json.ts";

// The one wording of what an upgrade does; every screen that offers one uses these.
export const UPGRADE_LABEL = "Upgrade now";
export const UPGRADE_PENDING = "Upgrading…";

/** What happens on confirming an upgrade from `current`: when it applies, the rest of the period, payment. */
export function UpgradeTerms({ current }: { current: Subscription }) {
  const paid = current.tier.is_paid && current.current_period_end !== null;
  return (
    <>
      <p>
        The upgrade applies as soon as you confirm: the new plan and its first billing period start today
        {paid ? `, and the rest of your current ${current.tier.name} period ends unused.` : "."}
      </p>
      {current.status === "cancelled" && (
        <p>Your {current.tier.name} subscription is cancelled; upgrading resumes it, so the new plan renews each period.</p>
      )}
      <p>No payment provider is configured: plan changes apply without payment.</p>
    </>
  );
}
