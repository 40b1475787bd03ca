import { Form } from "@remix-run/react";
import { Settings2, Sparkles, Undo2 } from "lucide-react";
import type { ReactNode } from "react";
import type { Subscription, Tier } from "../../../api/http/schemas/tier-json.ts";
import { daysUntil, formatDate, titleCase } from "../lib/format.ts";
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

export function SubscriptionCard({ subscription, tiers, canUpgrade, now, children }: SubscriptionCardProps) {
  const isFree = subscription.tier.level <= 1 || subscription.billing_cycle === null;
  const isCancelled = subscription.status === "cancelled";
  const periodEnd = subscription.current_period_end;
  const daysLeft = daysUntil(isCancelled ? subscription.ends_at : periodEnd, now);
  const scheduled = subscription.scheduled_tier_slug;
  const scheduledName = tiers.find((t) => t.slug === scheduled)?.name ?? scheduled;

  return (
    <section aria-labelledby="your-plan-title" className="rounded-2xl bg-white p-5 shadow-sm ring-1 ring-slate-200 sm:p-6">
      <h2 id="your-plan-title" className="text-lg font-semibold">
        Your Plan
      </h2>
      <div className="mt-4 flex flex-wrap items-center gap-3">
        <TierBadge tier={subscription.tier.slug} size="lg" />
        <h3 className="text-xl font-semibold">{subscription.tier.name}</h3>
        <span
          className={`rounded-full px-2.5 py-0.5 text-xs font-medium ${
            isCancelled ? "bg-amber-100 text-amber-800" : "bg-emerald-100 text-emerald-800"
          }`}
        >
          {titleCase(subscription.status)}
        </span>
      </div>
      <p className="mt-2 text-sm text-slate-600">{subscription.tier.description}</p>

      {!isFree && (
        <dl className="mt-4 grid grid-cols-1 gap-3 rounded-xl bg-slate-50 p-4 text-sm sm:grid-cols-2">
          <div>
            <dt className="text-slate-500">Billing cycle</dt>
            <dd className="font-medium">{titleCase(subscription.billing_cycle ?? "—")}</dd>
          </div>
          <div>
            <dt className="text-slate-500">{isCancelled ? "Access until" : "Next billing"}</dt>
            <dd className="font-medium">{formatDate(isCancelled ? subscription.ends_at : periodEnd)}</dd>
          </div>
        </dl>
      )}

      <div className="mt-4 space-y-3">
        {!isFree && daysLeft !== null && daysLeft >= 0 && daysLeft <= 7 && (
          <Notice tone="warning">
            {daysLeft === 1 ? "1 day remains" : `${daysLeft} days remain`} in the current billing period.
          </Notice>
        )}
        {isCancelled && (
          <Notice tone="warning">
            <p>
              Subscription cancelled — it ends on <strong>{formatDate(subscription.ends_at)}</strong>, then your plan returns
              to Member.
            </p>
            <Form method="post" action="/profile/manage" className="mt-2">
              <SubmitButton intent="resume" pendingLabel="Resuming…" variant="secondary">
                Resume subscription
              </SubmitButton>
            </Form>
          </Notice>
        )}
        {scheduled && (
          <Notice tone="info">
            <p>
              Downgrade to <strong>{scheduledName}</strong> scheduled for{" "}
              <strong>{formatDate(subscription.ends_at ?? periodEnd)}</strong>.
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
        {!isFree && (
          <DialogTrigger id="manage-subscription-trigger" to="/profile/manage" variant="secondary">
            <Settings2 aria-hidden="true" className="size-4" /> Manage Subscription
          </DialogTrigger>
        )}
      </div>
      {children}
    </section>
  );
}
