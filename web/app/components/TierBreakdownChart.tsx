import type { SubscriptionStats } from "../../../api/http/schemas/admin-json.ts";
import type { Tier } from "../../../api/http/schemas/tier-json.ts";
import { tierStyle } from "../lib/tier-style.ts";
import { byLevel, refOf, type TierRef, tierRef } from "../lib/tiers.ts";
import { TierBadge } from "./TierBadge.tsx";

/** Every tier the catalog lists, then any tier the stats count that it does not (a retired one). */
function chartTiers(stats: SubscriptionStats, tiers: Tier[]): TierRef[] {
  const listed = byLevel(tiers).map(refOf);
  const others = Object.keys(stats.by_tier)
    .filter((slug) => !listed.some((tier) => tier.slug === slug))
    .map((slug) => tierRef(tiers, slug));
  return [...listed, ...others];
}

/** Horizontal bars per tier; the numbers are text, so the chart reads the same to a screen reader. */
export function TierBreakdownChart({ stats, tiers }: { stats: SubscriptionStats; tiers: Tier[] }) {
  const rows = chartTiers(stats, tiers).map((tier) => ({ tier, count: stats.by_tier[tier.slug] ?? 0 }));
  const max = Math.max(1, ...rows.map((row) => row.count));
  const total = rows.reduce((sum, row) => sum + row.count, 0);
  return (
    <section
      aria-labelledby="tier-breakdown-title"
      className="rounded-2xl bg-white p-5 shadow-sm ring-1 ring-slate-200"
    >
      <div className="flex flex-wrap items-baseline justify-between gap-2">
        <h2 id="tier-breakdown-title" className="text-base font-semibold">
          Tier breakdown
        </h2>
        <p className="text-xs text-slate-600">
          Billing: {stats.by_billing_cycle.monthly ?? 0} monthly · {stats.by_billing_cycle.annual ?? 0} annual
        </p>
      </div>
      <ul className="mt-4 space-y-3">
        {rows.map(({ tier, count }) => {
          const share = total > 0 ? Math.round((count / total) * 100) : 0;
          return (
            <li key={tier.slug} className="grid grid-cols-[minmax(0,7.5rem)_1fr_4.5rem] items-center gap-3 text-sm">
              <span className="min-w-0 truncate">
                <TierBadge tier={tier} size="sm" />
              </span>
              <div className="h-3 overflow-hidden rounded-full bg-slate-100">
                <div
                  className={`h-full rounded-full ${tierStyle(tier.level).bar}`}
                  style={{ width: `${(count / max) * 100}%` }}
                />
              </div>
              <span className="text-right tabular-nums text-slate-700">
                {count} <span className="text-xs text-slate-600">({share}%)</span>
              </span>
            </li>
          );
        })}
      </ul>
    </section>
  );
}
