import { isRouteErrorResponse, Link, useRouteError, useRouteLoaderData } from "@remix-run/react";
import { ShieldAlert } from "lucide-react";
import type { loader as rootLoader } from "../root.tsx";
import { buttonClass } from "./Button.tsx";

function describe(error: unknown): { status: number; title: string; message: string } {
  if (isRouteErrorResponse(error)) {
    const data = error.data as { message?: unknown } | string | null;
    const given = typeof data === "string" ? data : typeof data?.message === "string" ? data.message : "";
    if (error.status === 403)
      return { status: 403, title: "Access denied", message: given || "This page is not open to your account." };
    if (error.status === 404) {
      return {
        status: 404,
        title: "Page not found",
        message: given || "There is nothing at this address. It may have moved, or the link is mistyped.",
      };
    }
    if (error.status === 503)
      return { status: 503, title: "Temporarily unavailable", message: given || "Please try again in a moment." };
    return { status: error.status, title: "Something went wrong", message: given || "Please try again." };
  }
  return { status: 500, title: "Something went wrong", message: "An unexpected error occurred. Please try again." };
}

/** Where a visitor can go from here: their own pages when signed in, the public ones when not. */
function WayBack() {
  const user = useRouteLoaderData<typeof rootLoader>("root")?.user ?? null;
  if (!user) {
    return (
      <>
        <Link to="/" className={buttonClass("primary")}>
          Go to the home page
        </Link>
        <Link to="/login" className={buttonClass("secondary")}>
          Log in
        </Link>
      </>
    );
  }
  return (
    <>
      <Link to={user.is_admin ? "/admin/subscriptions" : "/profile"} className={buttonClass("primary")}>
        {user.is_admin ? "Go to the admin pages" : "Go to your profile"}
      </Link>
      <Link to="/" className={buttonClass("secondary")}>
        Home page
      </Link>
    </>
  );
}

/**
 * The error boundary's page: what happened in plain words and a way on, never a blank screen.
 * `embedded`: inside a layout that already has the page's <main>.
 */
export function ErrorPage({ embedded = false }: { embedded?: boolean }) {
  const { status, title, message } = describe(useRouteError());
  const Shell = embedded ? "div" : "main";
  return (
    <Shell className="mx-auto max-w-xl px-4 py-16 text-center sm:px-6">
      <ShieldAlert aria-hidden="true" className="mx-auto size-10 text-slate-400" />
      <p className="mt-4 text-sm font-semibold text-indigo-700">Error {status}</p>
      <h1 className="mt-1 text-2xl font-bold tracking-tight">{title}</h1>
      <p className="mt-3 text-slate-600">{message}</p>
      <div className="mt-6 flex flex-wrap justify-center gap-3">
        <WayBack />
      </div>
    </Shell>
  );
}
