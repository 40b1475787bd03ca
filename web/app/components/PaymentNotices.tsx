import { Form } from "@remix-run/react";
import { CreditCard } from "lucide-react";
import type { Subscription } from "../../../api/http/schemas/tier-json.ts";
import { formatDate } from "../lib/format.ts";
import { SubmitButton } from "./Button.tsx";
import { Notice } from "./Notice.tsx";

/** Opens the Stripe billing portal (profile.billing action), where the card, invoices and plan are managed. */
function PortalButton({ label }: { label: string }) {
  return (
    <Form method="post" action="/profile/billing" className="mt-2">
      <SubmitButton intent="billing-portal" pendingLabel="Opening…" variant="secondary">
        <CreditCard aria-hidden="true" className="size-4" />
        {label}
      </SubmitButton>
    </Form>
  );
}

/** What a Stripe-billed subscription needs said: a failed payment, a trial, where billing is managed. */
export function PaymentNotices({ subscription }: { subscription: Subscription }) {
  if (subscription.payment_provider !== "stripe") return null;
  if (subscription.status === "past_due") {
    return (
      <Notice tone="error">
        <p>
          <strong>Your last payment failed.</strong> Your plan stays active until{" "}
          <strong>{formatDate(subscription.grace_until)}</strong>; update your payment method before then or it returns
          to Member.
        </p>
        <PortalButton label="Fix payment" />
      </Notice>
    );
  }
  return (
    <div className="space-y-3">
      {subscription.status === "trialing" && (
        <Notice tone="info">
          Free trial of {subscription.tier.name}: it ends on <strong>{formatDate(subscription.trial_ends_at)}</strong>,
          when the first payment is taken.
        </Notice>
      )}
      <PortalButton label="Manage billing" />
    </div>
  );
}
