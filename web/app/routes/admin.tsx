import { json, type LoaderFunctionArgs } from "@remix-run/node";
import { NavLink, Outlet } from "@remix-run/react";
import { CreditCard, Users } from "lucide-react";
import { ErrorPage } from "../components/ErrorPage.tsx";
import { requireAdmin } from "../lib/session.server.ts";

export async function loader({ request }: LoaderFunctionArgs) {
  await requireAdmin(request);
  return json({});
}

const tabClass = ({ isActive }: { isActive: boolean }) =>
  `inline-flex items-center gap-2 border-b-2 px-1 pb-3 text-sm font-medium ${
    isActive ? "border-indigo-600 text-indigo-700" : "border-transparent text-slate-600 hover:text-slate-900"
  }`;

export default function AdminLayout() {
  return (
    <main className="mx-auto max-w-6xl px-4 py-8 sm:px-6 sm:py-10">
      <p className="text-xs font-semibold tracking-wider text-indigo-700 uppercase">Admin</p>
      <nav aria-label="Admin" className="mt-2 flex gap-6 border-b border-slate-200">
        <NavLink to="/admin/subscriptions" className={tabClass}>
          <CreditCard aria-hidden="true" className="size-4" /> Subscriptions
        </NavLink>
        <NavLink to="/admin/users" className={tabClass}>
          <Users aria-hidden="true" className="size-4" /> Users
        </NavLink>
      </nav>
      <div className="mt-6">
        <Outlet />
      </div>
    </main>
  );
}

export function ErrorBoundary() {
  return <ErrorPage />;
}
