import { Link } from "@remix-run/react";
import { ShieldCheck } from "lucide-react";
import type { AdminUserRow } from "../lib/api-types.ts";
import { formatDate } from "../lib/format.ts";
import { DialogTrigger } from "./DialogTrigger.tsx";
import { StatusPill } from "./StatusPill.tsx";
import { TierBadge } from "./TierBadge.tsx";

const TH = "px-4 py-3 text-left text-xs font-semibold tracking-wide text-slate-500 uppercase";
const TD = "px-4 py-3 align-middle";

export function UserTable({ rows, filters }: { rows: AdminUserRow[]; filters: Record<string, string> }) {
  if (rows.length === 0) {
    return <p className="rounded-2xl bg-white p-8 text-center text-slate-600 ring-1 ring-slate-200">No users match.</p>;
  }
  return (
    <div className="overflow-x-auto rounded-2xl bg-white shadow-sm ring-1 ring-slate-200">
      <table className="min-w-full divide-y divide-slate-200 text-sm">
        <caption className="sr-only">Users</caption>
        <thead className="bg-slate-50">
          <tr>
            <th scope="col" className={TH}>User</th>
            <th scope="col" className={TH}>Tier</th>
            <th scope="col" className={`${TH} hidden sm:table-cell`}>Status</th>
            <th scope="col" className={`${TH} hidden md:table-cell`}>Joined</th>
            <th scope="col" className={`${TH} hidden lg:table-cell`}>Last login</th>
            <th scope="col" className={TH}>
              <span className="sr-only">Actions</span>
            </th>
          </tr>
        </thead>
        <tbody className="divide-y divide-slate-100">
          {rows.map((user) => (
            <tr key={user.id} className="hover:bg-slate-50">
              <td className={TD}>
                <Link to={`/admin/users/${user.id}`} className="font-medium text-slate-900 hover:text-indigo-700 hover:underline">
                  {user.display_name}
                </Link>
                {user.is_admin && (
                  <span className="ml-2 inline-flex items-center gap-1 rounded-full bg-slate-900 px-2 py-0.5 text-xs text-white">
                    <ShieldCheck aria-hidden="true" className="size-3" /> Admin
                  </span>
                )}
                <div className="text-xs break-all text-slate-500">{user.email}</div>
              </td>
              <td className={TD}>
                <TierBadge tier={user.tier_slug} size="sm" />
              </td>
              <td className={`${TD} hidden sm:table-cell`}>
                <StatusPill status={user.subscription_status} />
              </td>
              <td className={`${TD} hidden md:table-cell`}>{formatDate(user.created_at)}</td>
              <td className={`${TD} hidden lg:table-cell`}>{formatDate(user.last_login)}</td>
              <td className={`${TD} text-right`}>
                <DialogTrigger
                  id={`assign-${user.id}`}
                  to="/admin/users"
                  params={{ ...filters, assign: user.id }}
                  variant="secondary"
                  className="px-3 py-1.5 text-xs"
                >
                  Assign tier<span className="sr-only"> to {user.email}</span>
                </DialogTrigger>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
