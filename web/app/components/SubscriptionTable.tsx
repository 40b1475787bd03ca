import type { AdminSubscriptionRow } from "../../../api/http/schemas/admin-json.ts";
import { formatDate, titleCase } from "../lib/format.ts";
import { AssignTierTrigger } from "./AssignTierDialog.tsx";
import { type Column, DataTable } from "./DataTable.tsx";
import { StatusPill } from "./StatusPill.tsx";
import { TierBadge } from "./TierBadge.tsx";
import { UserLink } from "./UserLink.tsx";

interface SubscriptionTableProps {
  rows: AdminSubscriptionRow[];
  /** The page's current filters, carried into each row's assign-tier dialog URL. */
  filters: Record<string, string>;
}

export function SubscriptionTable({ rows, filters }: SubscriptionTableProps) {
  const columns: Column<AdminSubscriptionRow>[] = [
    {
      header: "User",
      cell: (row) => <UserLink id={row.user_id} name={row.user_display_name} email={row.user_email} />,
    },
    {
      header: "Tier",
      cell: (row) => <TierBadge tier={{ slug: row.tier_slug, name: row.tier_name, level: row.tier_level }} size="sm" />,
    },
    { header: "Status", cell: (row) => <StatusPill status={row.status} /> },
    {
      header: "Billing",
      className: "hidden md:table-cell",
      cell: (row) => (row.billing_cycle ? titleCase(row.billing_cycle) : "—"),
    },
    {
      header: "Paid via",
      className: "hidden lg:table-cell",
      cell: (row) =>
        row.payment_provider ? (
          <span title={row.payment_provider_id ?? undefined}>
            {titleCase(row.payment_provider)} <code className="text-xs text-slate-500">{row.payment_provider_id}</code>
          </span>
        ) : (
          "—"
        ),
    },
    { header: "Started", className: "hidden lg:table-cell", cell: (row) => formatDate(row.started_at) },
    {
      header: "Period end",
      className: "hidden md:table-cell",
      cell: (row) => formatDate(row.ends_at ?? row.current_period_end),
    },
    {
      header: "Actions",
      srOnlyHeader: true,
      cellClassName: "text-right",
      // An expired row is history: the user's plan is changed from their current row.
      cell: (row, layout) =>
        row.status === "expired" ? null : (
          <AssignTierTrigger
            userId={row.user_id}
            layout={layout}
            email={row.user_email}
            to="/admin/subscriptions"
            filters={filters}
          />
        ),
    },
  ];
  return (
    <DataTable
      caption="Subscriptions"
      emptyMessage="No subscriptions match these filters."
      columns={columns}
      rows={rows}
      rowKey={(row) => row.id}
    />
  );
}
