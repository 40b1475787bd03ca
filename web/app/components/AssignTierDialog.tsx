import { useActionData, useLocation } from "@remix-run/react";
import type { Tier } from "../../../api/http/schemas/tier-json.ts";
import { withoutAssign } from "../lib/admin-query.ts";
import type { assignTier } from "../lib/assign-tier.server.ts";
import { cycleWords } from "../lib/format.ts";
import { tierRef } from "../lib/tiers.ts";
import { AssignTierForm } from "./AssignTierForm.tsx";
import type { Layout } from "./DataTable.tsx";
import { Dialog } from "./Dialog.tsx";
import { DialogTrigger } from "./DialogTrigger.tsx";

// The dialog hands focus back to the row's trigger when it closes, so both derive the id here; a
// list renders each row twice (table and cards), one of them hidden.
const triggerId = (userId: string, layout: Layout) => `assign-${layout}-${userId}`;

interface AssignTierTriggerProps {
  userId: string;
  layout: Layout;
  email: string;
  /** The list page, reopened with its current filters plus `assign`. */
  to: string;
  filters: Record<string, string>;
}

export function AssignTierTrigger({ userId, layout, email, to, filters }: AssignTierTriggerProps) {
  return (
    <DialogTrigger
      id={triggerId(userId, layout)}
      to={to}
      params={{ ...filters, assign: userId }}
      variant="secondary"
      className="px-3 py-1.5 text-xs whitespace-nowrap"
    >
      Assign tier<span className="sr-only"> to {email}</span>
    </DialogTrigger>
  );
}

/** The user being assigned, loaded by id (they need not be on the list's current page). */
export interface Assignee {
  id: string;
  name: string;
  email: string;
  tierSlug: string;
  billingCycle: "monthly" | "annual" | null;
}

/** Opened by `?assign=<user id>` on an admin list page whose action is `assignTier`. */
export function AssignTierDialog({ assignee, tiers }: { assignee: Assignee; tiers: Tier[] }) {
  const errors = useActionData<typeof assignTier>()?.errors;
  const location = useLocation();
  const current = tierRef(tiers, assignee.tierSlug).name;
  const billed = assignee.billingCycle ? `, ${cycleWords[assignee.billingCycle]}` : "";
  return (
    <Dialog
      title="Assign tier"
      description={
        <>
          <bdi>{assignee.name}</bdi> · {assignee.email} · now on {current}
          {billed}
        </>
      }
      closeTo={withoutAssign(location)}
      returnFocusId={[triggerId(assignee.id, "table"), triggerId(assignee.id, "card")]}
    >
      <AssignTierForm userId={assignee.id} tiers={tiers} currentTier={assignee.tierSlug} errors={errors} />
    </Dialog>
  );
}
