import { ShieldCheck } from "lucide-react";
import type { AdminUserRow } from "../../../api/http/schemas/admin-json.ts";
import { formatDate } from "../lib/format.ts";
import { AssignTierTrigger } from "./AssignTierDialog.tsx";
import { type Column, DataTable } from "./DataTable.tsx";
import { StatusPill } from "./StatusPill.tsx";
import { TierBadge } from "./TierBadge.tsx";
import { UserLink } from "./UserLink.tsx";

const adminBadge = (
  <span className="ml-2 inline-flex items-center gap-1 rounded-full bg-slate-900 px-2 py-0.5 text-xs text-white">
    <ShieldCheck aria-hidden="true" className="size-3" /> Admin
  </span>
);

export function UserTable({ rows, filters }: { rows: AdminUserRow[]; filters: Record<string, string> }) {
  const columns: Column<AdminUserRow>[] = [
    {
      header: "User",
      cell: (user) => (
        <UserLink id={user.id} name={user.display_name} email={user.email} badge={user.is_admin && adminBadge} />
      ),
    },
    {
      header: "Tier",
      cell: (user) => (
        <>
          <TierBadge tier={{ slug: user.tier_slug, name: user.tier_name, level: user.tier_level }} size="sm" />
          {user.seat_owner_display_name && (
            <div className="mt-1 text-xs text-slate-500">Seat on {user.seat_owner_display_name}'s plan</div>
          )}
        </>
      ),
    },
    {
      header: "Status",
      className: "hidden sm:table-cell",
      cell: (user) => <StatusPill status={user.subscription_status} />,
    },
    { header: "Joined", className: "hidden md:table-cell", cell: (user) => formatDate(user.created_at) },
    { header: "Last login", className: "hidden lg:table-cell", cell: (user) => formatDate(user.last_login) },
    {
      header: "Actions",
      srOnlyHeader: true,
      cellClassName: "text-right",
      cell: (user, layout) => (
        <AssignTierTrigger userId={user.id} layout={layout} email={user.email} to="/admin/users" filters={filters} />
      ),
    },
  ];
  return (
    <DataTable
      caption="Users"
      emptyMessage="No users match."
      columns={columns}
      rows={rows}
      rowKey={(user) => user.id}
    />
  );
}
