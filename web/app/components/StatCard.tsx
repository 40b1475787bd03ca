import type { LucideIcon } from "lucide-react";

export function StatCard({ title, value, icon: Icon, hint }: { title: string; value: number; icon: LucideIcon; hint?: string }) {
  return (
    <div className="rounded-2xl bg-white p-5 shadow-sm ring-1 ring-slate-200">
      <div className="flex items-center justify-between gap-3">
        <h3 className="text-sm font-medium text-slate-600">{title}</h3>
        <span className="rounded-lg bg-indigo-50 p-2 text-indigo-600">
          <Icon aria-hidden="true" className="size-4" />
        </span>
      </div>
      <p className="mt-3 text-3xl font-semibold tracking-tight tabular-nums">{value.toLocaleString("en-US")}</p>
      {hint && <p className="mt-1 text-xs text-slate-500">{hint}</p>}
    </div>
  );
}
