import type { ActionFunctionArgs, MetaFunction } from "@remix-run/node";
import { useRouteLoaderData } from "@remix-run/react";
import { Dialog } from "../components/Dialog.tsx";
import { ManageSubscriptionDialog } from "../components/ManageSubscriptionDialog.tsx";
import { api } from "../lib/api.server.ts";
import { actionFailure } from "../lib/api-errors.server.ts";
import { text } from "../lib/auth-form.server.ts";
import { readForm } from "../lib/form.server.ts";
import { formatDate } from "../lib/format.ts";
import { redirectWithToast, requireAuth, type Toast } from "../lib/session.server.ts";
import { tierRef } from "../lib/tiers.ts";
import type { loader as profileLoader } from "./profile.tsx";

export const meta: MetaFunction = () => [{ title: "Manage your subscription · tierkit" }];

const BACK = "/profile/manage";

async function perform(token: string, form: FormData): Promise<{ toast: Toast; token?: string }> {
  const intent = form.get("intent");
  const reason = text(form, "reason") || undefined;
  switch (intent) {
    case "downgrade": {
      const result = await api.downgrade(token, { tier_slug: text(form, "tier_slug"), reason });
      const when = formatDate(result.downgrade.effective_date);
      const { tiers } = await api.tiers();
      const to = tierRef(tiers, result.downgrade.new_tier).name;
      return { token: result.token, toast: { kind: "success", message: `Downgrade to ${to} scheduled for ${when}.` } };
    }
    case "undo-downgrade": {
      const result = await api.undoDowngrade(token);
      return { token: result.token, toast: { kind: "success", message: "Your scheduled downgrade was undone." } };
    }
    case "cancel": {
      if (form.get("confirm") !== "yes") {
        return {
          toast: {
            kind: "error",
            message: "Tick the confirmation box to cancel your subscription.",
            placement: "dialog",
          },
        };
      }
      const result = await api.cancel(token, { reason });
      const until = formatDate(result.cancellation.remains_active_until);
      return {
        token: result.token,
        toast: { kind: "success", message: `Subscription cancelled. You keep your plan until ${until}.` },
      };
    }
    case "resume": {
      const result = await api.resume(token);
      return {
        token: result.token,
        toast: { kind: "success", message: "Welcome back — your subscription continues." },
      };
    }
    default:
      return { toast: { kind: "error", message: "That action is not available.", placement: "dialog" } };
  }
}

export async function action({ request }: ActionFunctionArgs) {
  const { token } = await requireAuth(request);
  const form = await readForm(request);
  try {
    const outcome = await perform(token, form);
    const to = outcome.toast.kind === "success" ? "/profile" : BACK;
    return redirectWithToast(request, to, outcome.toast, { token: outcome.token });
  } catch (error) {
    return actionFailure(request, error, BACK, { inDialog: true });
  }
}

export default function ManageRoute() {
  const data = useRouteLoaderData<typeof profileLoader>("routes/profile");
  if (!data) return null;
  const { subscription, available_tiers } = data.overview;
  if (subscription.billing_cycle === null) {
    return (
      <Dialog title="Manage Subscription" closeTo="/profile" returnFocusId="upgrade-plan-trigger">
        <p className="text-sm text-slate-600">
          You are on the free {subscription.tier.name} plan: there is no paid subscription to manage.
        </p>
      </Dialog>
    );
  }
  const downgradeTargets = available_tiers
    .filter((tier) => tier.tier_level < subscription.tier.level)
    .sort((a, b) => a.tier_level - b.tier_level);
  return (
    <ManageSubscriptionDialog subscription={subscription} downgradeTargets={downgradeTargets} tiers={available_tiers} />
  );
}
