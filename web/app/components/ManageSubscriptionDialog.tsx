import { Form } from "@remix-run/react";
import type { ReactNode } from "react";
import type { Subscription, Tier } from "../../../api/http/schemas/tier-json.ts";
import { cycleWords, formatDate } from "../lib/format.ts";
import { baseTier, tierRef } from "../lib/tiers.ts";
import { type ButtonVariant, SubmitButton } from "./Button.tsx";
import { Dialog } from "./Dialog.tsx";
import { SelectField, TextAreaField } from "./Field.tsx";
import { Notice } from "./Notice.tsx";

interface ManageSubscriptionDialogProps {
  subscription: Subscription;
  downgradeTargets: Tier[];
  /** The catalog, to name the scheduled tier and the plan a cancellation returns to. */
  tiers: Tier[];
}

function Section({ title, children }: { title: string; children: ReactNode }) {
  return (
    <section className="space-y-3 border-t border-slate-200 pt-5 first:border-t-0 first:pt-0">
      <h3 className="text-base font-semibold">{title}</h3>
      {children}
    </section>
  );
}

interface IntentFormProps {
  intent: string;
  pendingLabel: string;
  label: string;
  variant?: ButtonVariant;
  className?: string;
  children?: ReactNode;
}

/** Each choice is its own POST form; the route's action tells them apart by `intent`. */
function IntentForm({ intent, pendingLabel, label, variant, className, children }: IntentFormProps) {
  return (
    <Form method="post" preventScrollReset className={className}>
      {children}
      <SubmitButton intent={intent} pendingLabel={pendingLabel} variant={variant}>
        {label}
      </SubmitButton>
    </Form>
  );
}

export function ManageSubscriptionDialog({ subscription, downgradeTargets, tiers }: ManageSubscriptionDialogProps) {
  const periodEnd = formatDate(subscription.ends_at ?? subscription.current_period_end);
  const isCancelled = subscription.status === "cancelled";
  const scheduled = subscription.scheduled_tier_slug ? tierRef(tiers, subscription.scheduled_tier_slug).name : null;
  const base = baseTier(tiers)?.name ?? "the free plan";
  const { name } = subscription.tier;

  return (
    <Dialog
      title="Manage Subscription"
      description={`You are on ${name}, ${subscription.billing_cycle ? cycleWords[subscription.billing_cycle] : "free"}.`}
      closeTo="/profile"
      returnFocusId="manage-subscription-trigger"
    >
      <div className="space-y-5">
        {isCancelled ? (
          <Section title="Resume subscription">
            <p className="text-sm text-slate-600">
              Your subscription ends on {periodEnd}, then your plan becomes {base}. Resume it to keep {name}: it renews
              as before.
            </p>
            <IntentForm intent="resume" pendingLabel="Resuming…" label="Resume Subscription" />
          </Section>
        ) : (
          <>
            <p className="text-sm text-slate-600">
              Both choices keep {name} until {periodEnd}. A <strong>downgrade</strong> then moves you to the lower plan
              you pick (a paid one renews at its own price); <strong>cancelling</strong> ends the subscription, and your
              plan becomes {base} with nothing to renew.
            </p>
            <Section title="Schedule a downgrade">
              {scheduled ? (
                <Notice tone="info">
                  <p>
                    A downgrade to <strong>{scheduled}</strong> is scheduled for {periodEnd}.
                  </p>
                  <IntentForm
                    intent="undo-downgrade"
                    pendingLabel="Undoing…"
                    label="Undo downgrade"
                    variant="secondary"
                    className="mt-2"
                  />
                </Notice>
              ) : (
                <IntentForm
                  intent="downgrade"
                  pendingLabel="Scheduling…"
                  label="Schedule Downgrade"
                  className="space-y-3"
                >
                  <p className="text-sm text-slate-600">
                    You keep {name} until {periodEnd}; the new plan starts then.
                  </p>
                  <SelectField label="New plan" name="tier_slug" defaultValue={downgradeTargets[0]?.slug} required>
                    {downgradeTargets.map((tier) => (
                      <option key={tier.slug} value={tier.slug}>
                        {tier.name}
                      </option>
                    ))}
                  </SelectField>
                  <TextAreaField label="Reason (optional)" name="reason" maxLength={500} />
                </IntentForm>
              )}
            </Section>
            <Section title="Cancel subscription">
              <IntentForm
                intent="cancel"
                pendingLabel="Cancelling…"
                label="Cancel Subscription"
                variant="danger"
                className="space-y-3"
              >
                <p className="text-sm text-slate-600">
                  You keep {name} until {periodEnd}, then your plan becomes {base}.
                  {scheduled && ` Cancelling drops the scheduled downgrade to ${scheduled}.`}
                </p>
                <TextAreaField label="Reason for cancelling" name="reason" maxLength={500} />
                <label className="flex items-start gap-2 text-sm">
                  <input type="checkbox" name="confirm" value="yes" required className="mt-0.5 size-4 accent-red-600" />
                  I understand that my plan becomes {base} after {periodEnd}.
                </label>
              </IntentForm>
            </Section>
          </>
        )}
      </div>
    </Dialog>
  );
}
