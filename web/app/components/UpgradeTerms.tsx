import type { Subscription } from "../../../api/http/schemas/tier-json.ts";

// The one wording of what an upgrade does; every screen that offers one uses these.
export const UPGRADE_LABEL = "Upgrade now";
export const UPGRADE_PENDING = "Upgrading…";
/** From the free tier with Stripe on, the plan is bought on Stripe's Checkout page instead. */
export const CHECKOUT_LABEL = "Continue to payment";
export const CHECKOUT_PENDING = "Opening checkout…";

function paymentLine(paymentProvider: string | null, viaCheckout: boolean) {
  if (!paymentProvider) return "No payment provider is configured: plan changes apply without payment.";
  if (viaCheckout) return "You pay on Stripe's secure checkout page; the plan starts when the payment (or trial) does.";
  return "The prorated difference is charged now to your card on file; a declined card changes nothing.";
}

/** What happens on confirming an upgrade from `current`: when it applies, the rest of the period, payment. */
export function UpgradeTerms({
  current,
  paymentProvider,
  viaCheckout,
}: {
  current: Subscription;
  /** Null: no payment provider is configured. */
  paymentProvider: string | null;
  viaCheckout: boolean;
}) {
  const paid = current.tier.is_paid && current.current_period_end !== null;
  return (
    <>
      <p>
        The upgrade applies as soon as you confirm: the new plan and its first billing period start today
        {paid ? `, and the rest of your current ${current.tier.name} period ends unused.` : "."}
      </p>
      {current.status === "cancelled" && (
        <p>
          Your {current.tier.name} subscription is cancelled; upgrading resumes it, so the new plan renews each period.
        </p>
      )}
      <p>{paymentLine(paymentProvider, viaCheckout)}</p>
    </>
  );
}
