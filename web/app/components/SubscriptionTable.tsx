import { Link } from "@remix-run/react";
import type { AdminSubscriptionRow } from "../lib/api-types.ts";
import { formatDate, titleCase } from "../lib/format.ts";
import { DialogTrigger } from "./DialogTrigger.tsx";
import { StatusPill } from "./StatusPill.tsx";
import { TierBadge } from "./TierBadge.tsx";

interface SubscriptionTableProps {
  rows: AdminSubscriptionRow[];
  /** The page's current filters, carried into each row's assign-tier dialog URL. */
  filters: Record<string, string>;
}

const TH = "px-4 py-3 text-left text-xs font-semibold tracking-wide text-slate-500 uppercase";
const TD = "px-4 py-3 align-middle";

export function SubscriptionTable({ rows, filters }: SubscriptionTableProps) {
  if (rows.length === 0) {
    return <p className="rounded-2xl bg-white p-8 text-center text-slate-600 ring-1 ring-slate-200">No subscriptions match these filters.</p>;
  }
  return (
    <div className="overflow-x-auto rounded-2xl bg-white shadow-sm ring-1 ring-slate-200">
      <table className="min-w-full divide-y divide-slate-200 text-sm">
        <caption className="sr-only">Subscriptions</caption>
        <thead className="bg-slate-50">
          <tr>
            <th scope="col" className={TH}>User</th>
            <th scope="col" className={TH}>Tier</th>
            <th scope="col" className={TH}>Status</th>
            <th scope="col" className={`${TH} hidden md:table-cell`}>Billing</th>
            <th scope="col" className={`${TH} hidden lg:table-cell`}>Started</th>
            <th scope="col" className={`${TH} hidden md:table-cell`}>Period end</th>
            <th scope="col" className={TH}>
              <span className="sr-only">Actions</span>
            </th>
          </tr>
        </thead>
        <tbody className="divide-y divide-slate-100">
          {rows.map((row) => (
            <tr key={row.id} className="hover:bg-slate-50">
              <td className={TD}>
                <Link to={`/admin/users/${row.user_id}`} className="font-medium text-slate-900 hover:text-indigo-700 hover:underline">
                  {row.user_display_name}
                </Link>
                <div className="text-xs break-all text-slate-500">{row.user_email}</div>
              </td>
              <td className={TD}>
                <TierBadge tier={row.tier_slug} size="sm" />
              </td>
              <td className={TD}>
                <StatusPill status={row.status} />
              </td>
              <td className={`${TD} hidden md:table-cell`}>{row.billing_cycle ? titleCase(row.billing_cycle) : "—"}</td>
              <td className={`${TD} hidden lg:table-cell`}>{formatDate(row.started_at)}</td>
              <td className={`${TD} hidden md:table-cell`}>{formatDate(row.ends_at ?? row.current_period_end)}</td>
              <td className={`${TD} text-right`}>
                <DialogTrigger
                  id={`assign-${row.user_id}`}
                  to="/admin/subscriptions"
                  params={{ ...filters, assign: row.user_id }}
                  variant="secondary"
                  className="px-3 py-1.5 text-xs"
                >
                  Assign tier<span className="sr-only"> to {row.user_email}</span>
                </DialogTrigger>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
