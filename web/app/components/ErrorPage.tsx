import { isRouteErrorResponse, Link, useRouteError } from "@remix-run/react";
import { ShieldAlert } from "lucide-react";
import { buttonClass } from "./Button.tsx";

function describe(error: unknown): { status: number; title: string; message: string } {
  if (isRouteErrorResponse(error)) {
    const data = error.data as { message?: unknown } | string | null;
    const message =
      typeof data === "string" ? data : typeof data?.message === "string" ? data.message : error.statusText || "Something went wrong.";
    if (error.status === 403) return { status: 403, title: "Access denied", message };
    if (error.status === 404) return { status: 404, title: "Not found", message };
    if (error.status === 503) return { status: 503, title: "Temporarily unavailable", message };
    return { status: error.status, title: "Something went wrong", message };
  }
  return { status: 500, title: "Something went wrong", message: "An unexpected error occurred. Please try again." };
}

/** The error boundary's page: a readable message and a way on, never a blank screen. */
export function ErrorPage() {
  const { status, title, message } = describe(useRouteError());
  return (
    <main className="mx-auto max-w-xl px-4 py-16 text-center sm:px-6">
      <ShieldAlert aria-hidden="true" className="mx-auto size-10 text-slate-400" />
      <p className="mt-4 text-sm font-semibold text-indigo-600">{status}</p>
      <h1 className="mt-1 text-2xl font-bold tracking-tight">{title}</h1>
      <p className="mt-3 text-slate-600">{message}</p>
      <div className="mt-6 flex justify-center gap-3">
        <Link to="/profile" className={buttonClass("primary")}>
          Go to your profile
        </Link>
        <Link to="/" className={buttonClass("secondary")}>
          Home
        </Link>
      </div>
    </main>
  );
}
