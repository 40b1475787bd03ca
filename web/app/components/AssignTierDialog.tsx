import { useActionData, useLocation } from "@remix-run/react";
import { withoutAssign } from "../lib/admin-query.ts";
import type { Tier } from "../../../api/http/schemas/tier-json.ts";
import type { assignTier } from "../lib/assign-tier.server.ts";
import { AssignTierForm } from "./AssignTierForm.tsx";
import { Dialog } from "./Dialog.tsx";
import { DialogTrigger } from "./DialogTrigger.tsx";

// The dialog hands focus back to the row's trigger when it closes, so both derive the id here.
const triggerId = (userId: string) => `assign-${userId}`;

interface AssignTierTriggerProps {
  userId: string;
  email: string;
  /** The list page, reopened with its current filters plus `assign`. */
  to: string;
  filters: Record<string, string>;
}

export function AssignTierTrigger({ userId, email, to, filters }: AssignTierTriggerProps) {
  return (
    <DialogTrigger
      id={triggerId(userId)}
      to={to}
      params={{ ...filters, assign: userId }}
      variant="secondary"
      className="px-3 py-1.5 text-xs"
    >
      Assign tier<span className="sr-only"> to {email}</span>
    </DialogTrigger>
  );
}

interface AssignTierDialogProps {
  userId: string;
  /** The row being assigned, when it is on the current page. */
  user?: { name: string; email: string; tier: string };
  tiers: Tier[];
}

/** Opened by `?assign=<user id>` on an admin list page whose action is `assignTier`. */
export function AssignTierDialog({ userId, user, tiers }: AssignTierDialogProps) {
  const errors = useActionData<typeof assignTier>()?.errors;
  const location = useLocation();
  return (
    <Dialog
      title="Assign tier"
      description={user ? `${user.name} · ${user.email}` : undefined}
      closeTo={withoutAssign(location)}
      returnFocusId={triggerId(userId)}
    >
      <AssignTierForm userId={userId} tiers={tiers} currentTier={user?.tier} errors={errors} />
    </Dialog>
  );
}
