import { Form, Link } from "@remix-run/react";
import { useState } from "react";
import type { BillingCycle, Tier } from "../../../api/http/schemas/tier-json.ts";
import { annualSaving, formatPrice } from "../lib/format.ts";
import { buttonClass, SubmitButton } from "./Button.tsx";
import { Dialog } from "./Dialog.tsx";
import { FeatureList } from "./FeatureList.tsx";
import { TierBadge, tierStyle } from "./TierBadge.tsx";

interface TierUpgradeDialogProps {
  upgrades: Tier[];
  currentTierName: string;
  idempotencyKey: string;
  /** Null: no payment provider is configured. */
  paymentProvider: string | null;
  /** From the free tier with Stripe on: the plan is bought on Stripe's Checkout page. */
  viaCheckout: boolean;
}

function paymentLine(paymentProvider: string | null, viaCheckout: boolean) {
  if (!paymentProvider) return "No payment provider is configured: plan changes apply without payment.";
  if (viaCheckout) return "You pay on Stripe's secure checkout page; the plan starts when the payment (or trial) does.";
  return "The prorated difference is charged now to your card on file; a declined card changes nothing.";
}

function priceLine(tier: Tier, cycle: BillingCycle) {
  return cycle === "annual"
    ? { amount: formatPrice(tier.annual_price_cents), per: "/year" }
    : { amount: formatPrice(tier.monthly_price_cents), per: "/month" };
}

export function TierUpgradeDialog({ upgrades, currentTierName, idempotencyKey, paymentProvider, viaCheckout }: TierUpgradeDialogProps) {
  const [selected, setSelected] = useState(upgrades[0]?.slug ?? "");
  const [cycle, setCycle] = useState<BillingCycle>("monthly");
  const choice = upgrades.find((tier) => tier.slug === selected);
  const bestSaving = Math.max(0, ...upgrades.map((tier) => annualSaving(tier).percent));

  return (
    <Dialog
      title="Upgrade Your Plan"
      description="Choose a plan and how you want to be billed. The new plan applies as soon as the request succeeds."
      closeTo="/profile"
      returnFocusId="upgrade-plan-trigger"
      size="xl"
    >
      <Form method="post" preventScrollReset className="space-y-6">
        <input type="hidden" name="idempotency_key" value={idempotencyKey} />
        {viaCheckout && <input type="hidden" name="checkout" value="stripe" />}
        <fieldset>
          <legend className="text-sm font-medium text-slate-700">Billing cycle</legend>
          <div className="mt-2 inline-flex rounded-xl bg-slate-100 p-1">
            {(["monthly", "annual"] as const).map((value) => (
              <label
                key={value}
                className="flex cursor-pointer items-center gap-2 rounded-lg px-4 py-2 text-sm font-medium text-slate-700 has-[:checked]:bg-white has-[:checked]:text-indigo-700 has-[:checked]:shadow-sm"
              >
                <input
                  type="radio"
                  name="billing_cycle"
                  value={value}
                  checked={cycle === value}
                  onChange={() => setCycle(value)}
                  className="size-4 accent-indigo-600"
                />
                {value === "monthly" ? "Monthly" : "Annual"}
              </label>
            ))}
          </div>
          {bestSaving > 0 && (
            <p className="mt-2 text-sm text-emerald-700">Save up to {bestSaving}% with annual billing.</p>
          )}
        </fieldset>

        <fieldset>
          <legend className="text-sm font-medium text-slate-700">Available plans</legend>
          <div className="mt-2 grid gap-4 sm:grid-cols-2 lg:grid-cols-4">
            {upgrades.map((tier) => {
              const price = priceLine(tier, cycle);
              const saving = annualSaving(tier);
              const featuresId = `upgrade-features-${tier.slug}`;
              return (
                <label
                  key={tier.slug}
                  className={`flex cursor-pointer flex-col rounded-2xl p-4 ring-1 ring-slate-200 transition hover:ring-slate-400 has-[:checked]:ring-2 ${tierStyle(tier.slug).selectedRing}`}
                >
                  <div className="flex items-center justify-between gap-2">
                    <TierBadge tier={tier.slug} />
                    <input
                      type="radio"
                      name="tier_slug"
                      value={tier.slug}
                      checked={selected === tier.slug}
                      onChange={() => setSelected(tier.slug)}
                      aria-label={tier.name}
                      aria-describedby={featuresId}
                      className="size-4 accent-indigo-600"
                    />
                  </div>
                  <p className="mt-3">
                    <span className="text-2xl font-semibold">{price.amount}</span>
                    <span className="text-sm text-slate-500">{price.per}</span>
                  </p>
                  <p className="text-xs text-slate-500">
                    {cycle === "annual"
                      ? `You save ${formatPrice(saving.cents)} (${saving.percent}%) a year`
                      : `or ${formatPrice(tier.annual_price_cents)}/year, save ${saving.percent}%`}
                  </p>
                  <p className="mt-2 text-sm text-slate-600">{tier.description}</p>
                  <FeatureList features={tier.features} id={featuresId} className="mt-3" />
                </label>
              );
            })}
          </div>
        </fieldset>

        {choice && (
          <section aria-label="Summary" aria-live="polite" className="rounded-xl bg-slate-50 p-4 text-sm">
            <p className="leading-7">
              From <strong>{currentTierName}</strong> to <TierBadge tier={choice.slug} size="sm" />, billed{" "}
              <strong>{cycle}</strong>: <strong>{priceLine(choice, cycle).amount}</strong>
              {priceLine(choice, cycle).per}
            </p>
            <p className="mt-1 text-slate-500">{paymentLine(paymentProvider, viaCheckout)}</p>
          </section>
        )}

        <div className="flex flex-col-reverse gap-3 sm:flex-row sm:justify-end">
          <Link to="/profile" preventScrollReset className={buttonClass("secondary")}>
            Not now
          </Link>
          <SubmitButton intent="upgrade" pendingLabel={viaCheckout ? "Opening checkout…" : "Requesting…"} disabled={!choice}>
            {viaCheckout ? "Continue to payment" : "Request Upgrade"}
          </SubmitButton>
        </div>
      </Form>
    </Dialog>
  );
}
