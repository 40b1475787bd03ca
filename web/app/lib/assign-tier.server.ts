import { json } from "@remix-run/node";
import type { Tier } from "../../../api/http/schemas/tier-json.ts";
import { isUserId } from "./admin-query.ts";
import { api } from "./api.server.ts";
import { actionFailure } from "./api-errors.server.ts";
import { cycleWords, isolate } from "./format.ts";
import { redirectWithToast, refreshedHeaders, requireAdmin } from "./session.server.ts";

interface AssignTierErrors {
  user_id?: string;
  tier_slug?: string;
  billing_cycle?: string;
  reason?: string;
}

/**
 * The assign-tier action shared by the admin pages; the caller reads the form with readForm. The
 * admin lands on `backTo` after a success; a refusal returns to `retryAt` (the dialog's URL, when
 * the form is in one) with the API's reason.
 */
export async function assignTier(
  request: Request,
  form: FormData,
  backTo: string,
  retryAt: { url: string; inDialog: boolean },
) {
  const { token } = await requireAdmin(request);
  const userId = String(form.get("user_id") ?? "");
  const tierSlug = String(form.get("tier_slug") ?? "");
  const cycle = form.get("billing_cycle");
  const reason = String(form.get("reason") ?? "").trim();

  let tiers: Tier[];
  try {
    ({ tiers } = await api.tiers());
  } catch (error) {
    return actionFailure(request, error, retryAt.url, { inDialog: retryAt.inDialog });
  }
  const errors: AssignTierErrors = {};
  if (!isUserId(userId)) errors.user_id = "Choose a user.";
  // No default tier: an admin must pick one, so a slip cannot move a paying user to another plan.
  const tier = tiers.find((candidate) => candidate.slug === tierSlug);
  if (!tier) errors.tier_slug = "Choose a tier.";
  const billingCycle = cycle === "monthly" || cycle === "annual" ? cycle : undefined;
  if (tier?.is_paid && !billingCycle) errors.billing_cycle = `Choose how ${tier.name} is billed.`;
  if (!reason) errors.reason = "Give a reason; it is kept in the user's history.";
  if (Object.keys(errors).length > 0 || !tier)
    return json({ errors }, { status: 400, headers: await refreshedHeaders(request) });

  try {
    // Read first, so a success is never reported as a failure of this read.
    const { user } = await api.adminUser(token, userId);
    await api.assignTier(token, userId, {
      tier_slug: tier.slug,
      ...(tier.is_paid && billingCycle ? { billing_cycle: billingCycle } : {}),
      reason,
    });
    const billed = tier.is_paid && billingCycle ? `, ${cycleWords[billingCycle]}` : "";
    const message = `${isolate(user.display_name)} (${user.email}) is now on ${tier.name}${billed}.`;
    return redirectWithToast(request, backTo, { kind: "success", message });
  } catch (error) {
    return actionFailure(request, error, retryAt.url, { inDialog: retryAt.inDialog });
  }
}
