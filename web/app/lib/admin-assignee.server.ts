import type { Assignee } from "../components/AssignTierDialog.tsx";
import { api } from "./api.server.ts";

/** The user named by `?assign=`, loaded by id so the dialog always shows who it changes. */
export async function loadAssignee(token: string, userId: string | null): Promise<Assignee | null> {
  if (!userId) return null;
  const { user, subscription } = await api.adminUser(token, userId);
  return {
    id: user.id,
    name: user.display_name,
    email: user.email,
    tierSlug: subscription?.tier.slug ?? user.tier_slug,
    billingCycle: subscription?.billing_cycle ?? null,
  };
}
