import type { SubscriptionStats } from "../../../api/http/schemas/admin-json.ts";
import { TIER_SLUGS } from "../lib/tier-slugs.ts";
import { TierBadge, tierStyle } from "./TierBadge.tsx";

/** Horizontal bars per tier; the numbers are text, so the chart reads the same to a screen reader. */
export function TierBreakdownChart({ stats }: { stats: SubscriptionStats }) {
  const max = Math.max(1, ...TIER_SLUGS.map((slug) => stats.by_tier[slug] ?? 0));
  const total = TIER_SLUGS.reduce((sum, slug) => sum + (stats.by_tier[slug] ?? 0), 0);
  return (
    <section aria-labelledby="tier-breakdown-title" className="rounded-2xl bg-white p-5 shadow-sm ring-1 ring-slate-200">
      <div className="flex flex-wrap items-baseline justify-between gap-2">
        <h2 id="tier-breakdown-title" className="text-base font-semibold">
          Tier breakdown
        </h2>
        <p className="text-xs text-slate-500">
          Billing: {stats.by_billing_cycle.monthly ?? 0} monthly · {stats.by_billing_cycle.annual ?? 0} annual
        </p>
      </div>
      <ul className="mt-4 space-y-3">
        {TIER_SLUGS.map((slug) => {
          const count = stats.by_tier[slug] ?? 0;
          const share = total > 0 ? Math.round((count / total) * 100) : 0;
          return (
            <li key={slug} className="grid grid-cols-[6.5rem_1fr_4.5rem] items-center gap-3 text-sm">
              <TierBadge tier={slug} size="sm" />
              <div className="h-3 overflow-hidden rounded-full bg-slate-100">
                <div className={`h-full rounded-full ${tierStyle(slug).bar}`} style={{ width: `${(count / max) * 100}%` }} />
              </div>
              <span className="text-right tabular-nums text-slate-700">
                {count} <span className="text-xs text-slate-500">({share}%)</span>
              </span>
            </li>
          );
        })}
      </ul>
    </section>
  );
}
