import { type ActionFunctionArgs, type MetaFunction, redirect } from "@remix-run/node";
import { useRouteLoaderData, useSearchParams } from "@remix-run/react";
import type { BillingCycle } from "../../../api/http/schemas/tier-json.ts";
import { Dialog } from "../components/Dialog.tsx";
import { TierUpgradeDialog } from "../components/TierUpgradeDialog.tsx";
import { api } from "../lib/api.server.ts";
import { actionFailure } from "../lib/api-errors.server.ts";
import { text } from "../lib/auth-form.server.ts";
import { readForm } from "../lib/form.server.ts";
import { cycleWords, formatDate } from "../lib/format.ts";
import { redirectWithToast, requireAuth } from "../lib/session.server.ts";
import { tierRef } from "../lib/tiers.ts";
import type { loader as profileLoader } from "./profile.tsx";

export const meta: MetaFunction = () => [{ title: "Upgrade your plan · tierkit" }];

const BACK = "/profile/upgrade";

const cycleOf = (value: unknown): BillingCycle | undefined =>
  value === "annual" || value === "monthly" ? value : undefined;

export async function action({ request }: ActionFunctionArgs) {
  const { token } = await requireAuth(request);
  const form = await readForm(request);
  const tierSlug = text(form, "tier_slug");
  const billingCycle = cycleOf(form.get("billing_cycle")) ?? "monthly";
  if (!tierSlug) {
    return redirectWithToast(request, BACK, {
      kind: "error",
      message: "Choose the plan you want.",
      placement: "dialog",
    });
  }
  try {
    // From the free tier with Stripe on, the plan is bought on Stripe's Checkout page.
    if (form.get("checkout") === "stripe") {
      const { url } = await api.checkout(token, { tier_slug: tierSlug, billing_cycle: billingCycle });
      return redirect(url);
    }
    const key = text(form, "idempotency_key") || undefined;
    const { upgrade, token: fresh } = await api.upgrade(
      token,
      { tier_slug: tierSlug, billing_cycle: billingCycle },
      key,
    );
    const { tiers } = await api.tiers();
    const renews = upgrade.next_billing ? ` It renews on ${formatDate(upgrade.next_billing)}.` : "";
    return redirectWithToast(
      request,
      "/profile",
      {
        kind: "success",
        message: `Your plan is now ${tierRef(tiers, upgrade.new_tier).name}, ${cycleWords[billingCycle]}.${renews}`,
      },
      { token: fresh },
    );
  } catch (error) {
    const back = `${BACK}?${new URLSearchParams({ tier: tierSlug, cycle: billingCycle })}`;
    return actionFailure(request, error, back, { inDialog: true });
  }
}

export default function UpgradeRoute() {
  const data = useRouteLoaderData<typeof profileLoader>("routes/profile");
  const [params] = useSearchParams();
  if (!data) return null;
  const { overview } = data;
  if (overview.available_upgrades.length === 0) {
    return (
      <Dialog title="Upgrade Your Plan" closeTo="/profile" returnFocusId="upgrade-plan-trigger">
        <p className="text-sm text-slate-600">You are on our highest plan already — there is nothing to upgrade to.</p>
      </Dialog>
    );
  }
  return (
    <TierUpgradeDialog
      tiers={overview.available_tiers}
      upgrades={overview.available_upgrades}
      subscription={overview.subscription}
      requested={{ tier: params.get("tier") ?? undefined, cycle: cycleOf(params.get("cycle")) }}
      idempotencyKey={data.formKey}
      paymentProvider={overview.payment_provider}
      viaCheckout={overview.payment_provider === "stripe" && overview.subscription.payment_provider === null}
    />
  );
}
