import type { ActionFunctionArgs, MetaFunction } from "@remix-run/node";
import { useRouteLoaderData } from "@remix-run/react";
import { Dialog } from "../components/Dialog.tsx";
import { TierUpgradeDialog } from "../components/TierUpgradeDialog.tsx";
import { actionFailure } from "../lib/api-errors.server.ts";
import { api } from "../lib/api.server.ts";
import { text } from "../lib/auth-form.server.ts";
import { readForm } from "../lib/form.server.ts";
import { formatDate, titleCase } from "../lib/format.ts";
import { redirectWithToast, requireAuth } from "../lib/session.server.ts";
import type { loader as profileLoader } from "./profile.tsx";

export const meta: MetaFunction = () => [{ title: "Upgrade your plan · tierkit" }];

export async function action({ request }: ActionFunctionArgs) {
  const { token } = await requireAuth(request);
  const form = await readForm(request);
  const tierSlug = text(form, "tier_slug");
  const billingCycle = form.get("billing_cycle") === "annual" ? "annual" : "monthly";
  if (!tierSlug) {
    return redirectWithToast(request, "/profile/upgrade", { kind: "error", message: "Choose the plan you want." });
  }
  try {
    const key = text(form, "idempotency_key") || undefined;
    const { upgrade, token: fresh } = await api.upgrade(token, { tier_slug: tierSlug, billing_cycle: billingCycle }, key);
    const next = upgrade.next_billing ? ` Next billing: ${formatDate(upgrade.next_billing)}.` : "";
    return redirectWithToast(
      request,
      "/profile",
      { kind: "success", message: `Your plan is now ${titleCase(upgrade.new_tier)}, billed ${billingCycle}.${next}` },
      { token: fresh },
    );
  } catch (error) {
    return actionFailure(request, error, "/profile/upgrade");
  }
}

export default function UpgradeRoute() {
  const data = useRouteLoaderData<typeof profileLoader>("routes/profile");
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
      upgrades={overview.available_upgrades}
      currentTierName={overview.subscription.tier.name}
      idempotencyKey={data.formKey}
    />
  );
}
