import { Link, useLocation } from "@remix-run/react";
import { ChevronLeft, ChevronRight } from "lucide-react";
import { buttonClass } from "./Button.tsx";

/** Previous/next links that keep every other search parameter (the filters live in the URL). */
export function Pagination({ page, limit, total }: { page: number; limit: number; total: number }) {
  const location = useLocation();
  const pages = Math.max(1, Math.ceil(total / limit));
  const hrefFor = (target: number) => {
    const params = new URLSearchParams(location.search);
    params.set("page", String(target));
    return `?${params}`;
  };
  const first = total === 0 ? 0 : (page - 1) * limit + 1;
  const last = Math.min(total, page * limit);
  const disabled = "pointer-events-none opacity-50";
  return (
    <nav aria-label="Pagination" className="flex flex-wrap items-center justify-between gap-3 text-sm">
      <p className="text-slate-600">
        Showing <span className="font-medium">{first}</span>–<span className="font-medium">{last}</span> of{" "}
        <span className="font-medium">{total}</span>
      </p>
      <div className="flex gap-2">
        <Link
          to={hrefFor(page - 1)}
          aria-disabled={page <= 1 || undefined}
          tabIndex={page <= 1 ? -1 : undefined}
          className={buttonClass("secondary", page <= 1 ? disabled : "")}
        >
          <ChevronLeft aria-hidden="true" className="size-4" /> Previous
        </Link>
        <span className="self-center text-slate-600">
          Page {page} of {pages}
        </span>
        <Link
          to={hrefFor(page + 1)}
          aria-disabled={page >= pages || undefined}
          tabIndex={page >= pages ? -1 : undefined}
          className={buttonClass("secondary", page >= pages ? disabled : "")}
        >
          Next <ChevronRight aria-hidden="true" className="size-4" />
        </Link>
      </div>
    </nav>
  );
}
