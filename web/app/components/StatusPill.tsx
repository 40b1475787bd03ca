import { titleCase } from "../lib/format.ts";

const STYLES: Record<string, string> = {
  active: "bg-emerald-100 text-emerald-800",
  trialing: "bg-sky-100 text-sky-800",
  past_due: "bg-red-100 text-red-800",
  cancelled: "bg-amber-100 text-amber-800",
  expired: "bg-slate-200 text-slate-700",
};

export function StatusPill({ status }: { status: string }) {
  return (
    <span className={`inline-block rounded-full px-2.5 py-0.5 text-xs font-medium ${STYLES[status] ?? STYLES.expired}`}>
      {titleCase(status)}
    </span>
  );
}
