import { Form } from "@remix-run/react";
import { Settings2, Sparkles, Undo2 } from "lucide-react";
import type { ReactNode } from "react";
import type { Subscription, Tier } from "../../../api/http/schemas/tier-json.ts";
import { cycleWords, daysUntil, formatDate, pricePerCycle, titleCase } from "../lib/format.ts";
import { baseTier, tierRef } from "../lib/tiers.ts";
import { SubmitButton } from "./Button.tsx";
import { DialogTrigger } from "./DialogTrigger.tsx";
import { Notice } from "./Notice.tsx";
import { TierBadge } from "./TierBadge.tsx";

interface SubscriptionCardProps {
  subscription: Subscription;
  tiers: Tier[];
  canUpgrade: boolean;
  /** The loader's clock, so server and browser agree on the days left. */
  now: number;
  /** More of the plan below the actions (the seats). */
  children?: ReactNode;
}

/** What happens at the end of the period, in one sentence; null for a plan with no period. */
export function nextStep(subscription: Subscription, tiers: Tier[]): string | null {
  const end = subscription.ends_at ?? subscription.current_period_end;
  if (!end) return null;
  if (subscription.status === "cancelled")
    return `Ends on ${formatDate(end)}, then ${baseTier(tiers)?.name ?? "the free plan"}.`;
  if (subscription.scheduled_tier_slug) {
    return `Changes to ${tierRef(tiers, subscription.scheduled_tier_slug).name} on ${formatDate(end)}.`;
  }
  return `Renews on ${formatDate(end)}.`;
}

export function SubscriptionCard({ subscription, tiers, canUpgrade, now, children }: SubscriptionCardProps) {
  const { tier, billing_cycle: cycle } = subscription;
  const paid = tier.is_paid && cycle !== null;
  const isCancelled = subscription.status === "cancelled";
  const end = subscription.ends_at ?? subscription.current_period_end;
  const daysLeft = daysUntil(end, now);
  const next = nextStep(subscription, tiers);
  const price = cycle ? pricePerCycle(tier, cycle) : null;

  return (
    <section
      aria-labelledby="your-plan-title"
      className="rounded-2xl bg-white p-5 shadow-sm ring-1 ring-slate-200 sm:p-6"
    >
      <h2 id="your-plan-title" className="text-lg font-semibold">
        Your Plan
      </h2>
      <div className="mt-4 flex flex-wrap items-center gap-3">
        <TierBadge tier={{ slug: tier.slug, name: tier.name, level: tier.level }} size="lg" />
        <span
          className={`rounded-full px-2.5 py-0.5 text-xs font-medium ${
            isCancelled ? "bg-amber-100 text-amber-800" : "bg-emerald-100 text-emerald-800"
          }`}
        >
          {titleCase(subscription.status)}
        </span>
      </div>
      <p className="mt-2 text-sm text-slate-600">{tier.description}</p>

      <dl className="mt-4 grid grid-cols-1 gap-3 rounded-xl bg-slate-50 p-4 text-sm sm:grid-cols-2">
        <div>
          <dt className="text-slate-600">You pay</dt>
          <dd className="font-medium">
            {paid && price && cycle ? (
              <>
                {price.amount}
                {price.per} <span className="font-normal text-slate-600">({cycleWords[cycle]})</span>
              </>
            ) : (
              "Nothing: this plan is free"
            )}
          </dd>
        </div>
        {next && (
          <div>
            <dt className="text-slate-600">What happens next</dt>
            <dd className="font-medium">{next}</dd>
          </div>
        )}
      </dl>

      <div className="mt-4 space-y-3">
        {paid && !isCancelled && daysLeft !== null && daysLeft >= 0 && daysLeft <= 7 && (
          <Notice tone="warning">
            {daysLeft === 1 ? "1 day remains" : `${daysLeft} days remain`} in the current billing period.
          </Notice>
        )}
        {isCancelled && (
          <Notice tone="warning">
            <p>
              Subscription cancelled: you keep {tier.name} until <strong>{formatDate(end)}</strong>.
            </p>
            <Form method="post" action="/profile/manage" className="mt-2">
              <SubmitButton intent="resume" pendingLabel="Resuming…" variant="secondary">
                Resume subscription
              </SubmitButton>
            </Form>
          </Notice>
        )}
        {subscription.scheduled_tier_slug && (
          <Notice tone="info">
            <p>
              Downgrade to <strong>{tierRef(tiers, subscription.scheduled_tier_slug).name}</strong> scheduled for{" "}
              <strong>{formatDate(end)}</strong>.
            </p>
            <Form method="post" action="/profile/manage" className="mt-2">
              <SubmitButton intent="undo-downgrade" pendingLabel="Undoing…" variant="secondary">
                <Undo2 aria-hidden="true" className="size-4" /> Undo downgrade
              </SubmitButton>
            </Form>
          </Notice>
        )}
      </div>

      <div className="mt-5 flex flex-wrap gap-3">
        {canUpgrade && (
          <DialogTrigger id="upgrade-plan-trigger" to="/profile/upgrade">
            <Sparkles aria-hidden="true" className="size-4" /> Upgrade Plan
          </DialogTrigger>
        )}
        {paid && (
          <DialogTrigger id="manage-subscription-trigger" to="/profile/manage" variant="secondary">
            <Settings2 aria-hidden="true" className="size-4" /> Manage Subscription
          </DialogTrigger>
        )}
      </div>
      {children}
    </section>
  );
}
