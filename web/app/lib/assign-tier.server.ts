import { json } from "@remix-run/node";
import { actionFailure } from "./api-errors.server.ts";
import { api } from "./api.server.ts";
import { readForm } from "./form.server.ts";
import { isTierSlug } from "./api-types.ts";
import { redirectWithToast, refreshedHeaders, requireAdmin } from "./session.server.ts";

interface AssignTierErrors {
  user_id?: string;
  tier_slug?: string;
  reason?: string;
}

/** The assign-tier action shared by the admin pages; `backTo` is where the admin lands afterwards. */
export async function assignTier(request: Request, backTo: string) {
  const { token } = await requireAdmin(request);
  const form = await readForm(request);
  const userId = String(form.get("user_id") ?? "");
  const tier = form.get("tier_slug");
  const billingCycle = form.get("billing_cycle") === "annual" ? "annual" : "monthly";
  const reason = String(form.get("reason") ?? "").trim();

  const errors: AssignTierErrors = {};
  if (!userId) errors.user_id = "Choose a user.";
  if (!isTierSlug(tier)) errors.tier_slug = "Choose a tier.";
  if (!reason) errors.reason = "Give a reason; it is kept in the user's history.";
  if (Object.keys(errors).length > 0 || !isTierSlug(tier)) {
    return json({ errors }, { status: 400, headers: await refreshedHeaders(request) });
  }

  try {
    const result = await api.assignTier(token, userId, { tier_slug: tier, billing_cycle: billingCycle, reason });
    return redirectWithToast(request, backTo, { kind: "success", message: result.message });
  } catch (error) {
    return actionFailure(request, error, backTo);
  }
}
