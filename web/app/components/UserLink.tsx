import { Link } from "@remix-run/react";
import type { ReactNode } from "react";

/** A user's name linking to their admin page, with their email beneath; `badge` sits beside the name. */
export function UserLink({ id, name, email, badge }: { id: string; name: string; email: string; badge?: ReactNode }) {
  return (
    <>
      <Link to={`/admin/users/${id}`} className="font-medium text-slate-900 hover:text-indigo-700 hover:underline">
        <bdi>{name}</bdi>
      </Link>
      {badge}
      <div className="text-xs break-words text-slate-600">{email}</div>
    </>
  );
}
