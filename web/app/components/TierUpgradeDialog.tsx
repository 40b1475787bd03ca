import { Form, Link } from "@remix-run/react";
import { useEffect, useState } from "react";
import type { BillingCycle, Subscription, Tier } from "../../../api/http/schemas/tier-json.ts";
import { annualSaving, cycleWords, formatPrice, pricePerCycle } from "../lib/format.ts";
import { tierStyle } from "../lib/tier-style.ts";
import { byLevel, refOf } from "../lib/tiers.ts";
import { buttonClass, SubmitButton } from "./Button.tsx";
import { Dialog, DialogFooter } from "./Dialog.tsx";
import { FeatureList } from "./FeatureList.tsx";
import { TierBadge } from "./TierBadge.tsx";
import { CHECKOUT_LABEL, CHECKOUT_PENDING, UPGRADE_LABEL, UPGRADE_PENDING, UpgradeTerms } from "./UpgradeTerms.tsx";

interface TierUpgradeDialogProps {
  /** The active catalog; the current plan and those above it are shown. */
  tiers: Tier[];
  /** What the API accepts as an upgrade from the current plan. */
  upgrades: Tier[];
  subscription: Subscription;
  /** From the URL (the pricing page's "Choose X"): preselected when it is a real upgrade. */
  requested: { tier?: string; cycle?: BillingCycle };
  idempotencyKey: string;
  /** Null: no payment provider is configured. */
  paymentProvider: string | null;
  /** From the free tier with Stripe on: the plan is bought on Stripe's Checkout page. */
  viaCheckout: boolean;
}

const isUpgrade = (upgrades: Tier[], current: Subscription, slug: string, cycle: BillingCycle) =>
  upgrades.some((tier) => tier.slug === slug) && (slug !== current.tier.slug || cycle === "annual");

function initialChoice({ upgrades, subscription, requested }: TierUpgradeDialogProps) {
  const cycle: BillingCycle = requested.cycle ?? subscription.billing_cycle ?? "monthly";
  if (requested.tier && isUpgrade(upgrades, subscription, requested.tier, cycle))
    return { tier: requested.tier, cycle };
  // Never the current plan: the first plan above it, or nothing (and the button waits for a choice).
  const above = byLevel(upgrades).find((tier) => tier.slug !== subscription.tier.slug);
  return { tier: above?.slug ?? "", cycle };
}

export function TierUpgradeDialog(props: TierUpgradeDialogProps) {
  const { tiers, upgrades, subscription, idempotencyKey, paymentProvider, viaCheckout } = props;
  const initial = initialChoice(props);
  const [selected, setSelected] = useState(initial.tier);
  const [cycle, setCycle] = useState<BillingCycle>(initial.cycle);
  // The summary names the choice only once React follows the radios; the server's HTML cannot.
  const [hydrated, setHydrated] = useState(false);
  useEffect(() => setHydrated(true), []);

  const current = subscription.tier;
  const shown = byLevel(tiers).filter((tier) => tier.tier_level >= current.level);
  const choice = shown.find((tier) => tier.slug === selected);
  const valid = choice !== undefined && isUpgrade(upgrades, subscription, choice.slug, cycle);
  const bestSaving = Math.max(0, ...shown.map((tier) => annualSaving(tier).percent));

  return (
    <Dialog
      title="Upgrade Your Plan"
      description={`You are on ${current.name}. Choose a higher plan and how you want to be billed.`}
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
            <p className="mt-2 text-sm text-emerald-700">Save up to {bestSaving}% when billed annually.</p>
          )}
        </fieldset>

        <fieldset>
          <legend className="text-sm font-medium text-slate-700">Plans</legend>
          <div className="mt-2 grid gap-4 sm:grid-cols-2 lg:grid-cols-3">
            {shown.map((tier) => {
              const isCurrent = tier.slug === current.slug;
              const selectable = upgrades.some((upgrade) => upgrade.slug === tier.slug);
              const price = pricePerCycle(tier, cycle);
              const saving = annualSaving(tier);
              const featuresId = `upgrade-features-${tier.slug}`;
              const hasFeatures = Object.keys(tier.features).length > 0;
              return (
                <label
                  key={tier.slug}
                  data-plan={tier.slug}
                  className={`flex flex-col rounded-2xl p-4 ring-1 ring-slate-200 transition has-[:checked]:ring-2 ${
                    selectable ? "cursor-pointer hover:ring-slate-400" : "bg-slate-50"
                  } ${tierStyle(tier.tier_level).selectedRing}`}
                >
                  <div className="flex items-center justify-between gap-2">
                    <TierBadge tier={refOf(tier)} />
                    {isCurrent && (
                      <span className="rounded-full bg-slate-900 px-2 py-0.5 text-xs font-medium text-white">
                        Current
                      </span>
                    )}
                    <input
                      type="radio"
                      name="tier_slug"
                      value={tier.slug}
                      checked={selected === tier.slug}
                      disabled={!selectable}
                      onChange={() => setSelected(tier.slug)}
                      aria-label={isCurrent ? `${tier.name} (current plan)` : tier.name}
                      aria-describedby={hasFeatures ? featuresId : undefined}
                      className="size-4 accent-indigo-600"
                    />
                  </div>
                  <p className="mt-3">
                    <span className="text-2xl font-semibold">{price.amount}</span>
                    {tier.is_paid && <span className="text-sm text-slate-600">{price.per}</span>}
                  </p>
                  <p className="text-xs text-slate-600">
                    {!tier.is_paid
                      ? "Nothing to pay"
                      : cycle === "annual"
                        ? saving.cents > 0
                          ? `Billed annually; you save ${formatPrice(saving.cents)} (${saving.percent}%) a year`
                          : "Billed annually"
                        : `Billed monthly, or ${formatPrice(tier.annual_price_cents)} billed annually`}
                  </p>
                  {isCurrent && (
                    <p className="mt-1 text-xs text-slate-600">
                      {selectable
                        ? "Your plan today; choose Annual to switch it to annual billing."
                        : "Your plan today."}
                    </p>
                  )}
                  <p className="mt-2 text-sm text-slate-600">{tier.description}</p>
                  <FeatureList features={tier.features} id={featuresId} className="mt-3" />
                </label>
              );
            })}
          </div>
        </fieldset>

        <section
          aria-label="Summary"
          aria-live="polite"
          className="space-y-1 rounded-xl bg-slate-50 p-4 text-sm text-slate-700"
        >
          {hydrated ? (
            <p className="leading-7 text-slate-900">
              {choice && valid ? (
                <>
                  From <strong>{current.name}</strong> to <TierBadge tier={refOf(choice)} size="sm" />,{" "}
                  <strong>{cycleWords[cycle]}</strong>: <strong>{pricePerCycle(choice, cycle).amount}</strong>
                  {pricePerCycle(choice, cycle).per}.
                </>
              ) : choice ? (
                <>{choice.name} billed monthly is your current plan: choose Annual, or a higher plan.</>
              ) : (
                <>Choose the plan you want.</>
              )}
            </p>
          ) : (
            <p className="leading-7 text-slate-900">
              You move to the plan selected above, billed as selected above, at the price that plan shows for that
              billing.
            </p>
          )}
          <UpgradeTerms current={subscription} paymentProvider={paymentProvider} viaCheckout={viaCheckout} />
        </section>

        <DialogFooter>
          <Link to="/profile" preventScrollReset className={buttonClass("secondary")}>
            Not now
          </Link>
          <SubmitButton
            intent="upgrade"
            pendingLabel={viaCheckout ? CHECKOUT_PENDING : UPGRADE_PENDING}
            disabled={hydrated && !valid}
          >
            {viaCheckout ? CHECKOUT_LABEL : UPGRADE_LABEL}
          </SubmitButton>
        </DialogFooter>
      </Form>
    </Dialog>
  );
}
