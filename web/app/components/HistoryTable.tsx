import { ArrowRight, ShieldCheck } from "lucide-react";
import type { HistoryEntry } from "../../../api/http/schemas/admin-json.ts";
import type { Tier } from "../../../api/http/schemas/tier-json.ts";
import { formatDateTime, titleCase } from "../lib/format.ts";
import { tierRef } from "../lib/tiers.ts";
import { TierBadge } from "./TierBadge.tsx";

const TH = "px-4 py-3 text-left text-xs font-semibold tracking-wide text-slate-600 uppercase";
const TD = "px-4 py-3 align-top";

/** Who changed what, when and why, newest first as the API returns it. */
export function HistoryTable({ history, tiers }: { history: HistoryEntry[]; tiers: Tier[] }) {
  if (history.length === 0) return <p className="text-sm text-slate-600">No changes recorded yet.</p>;
  return (
    // Focusable, so a keyboard can scroll it sideways on a narrow screen (axe: scrollable-region-focusable).
    // biome-ignore lint/a11y/useSemanticElements: a <section> would add a landmark per table; this is a scroll container.
    <div
      role="region"
      aria-label="Subscription history, scrollable"
      // biome-ignore lint/a11y/noNoninteractiveTabindex: a scrollable region must be reachable by keyboard.
      tabIndex={0}
      className="overflow-x-auto rounded-xl ring-1 ring-slate-200"
    >
      <table className="min-w-full divide-y divide-slate-200 text-sm">
        <caption className="sr-only">Subscription history</caption>
        <thead className="bg-slate-50">
          <tr>
            <th scope="col" className={TH}>
              When
            </th>
            <th scope="col" className={TH}>
              Change
            </th>
            <th scope="col" className={TH}>
              By
            </th>
            <th scope="col" className={TH}>
              Reason
            </th>
          </tr>
        </thead>
        <tbody className="divide-y divide-slate-100 bg-white">
          {history.map((entry) => (
            <tr key={entry.id}>
              <td className={`${TD} whitespace-nowrap text-slate-600`}>{formatDateTime(entry.created_at)}</td>
              <td className={TD}>
                <div className="font-medium">{titleCase(entry.action)}</div>
                <div className="mt-1 flex flex-wrap items-center gap-1.5">
                  {entry.from_tier_slug && <TierBadge tier={tierRef(tiers, entry.from_tier_slug)} size="sm" />}
                  {entry.from_tier_slug && entry.to_tier_slug && (
                    <ArrowRight aria-label="to" className="size-3.5 text-slate-400" />
                  )}
                  {entry.to_tier_slug && <TierBadge tier={tierRef(tiers, entry.to_tier_slug)} size="sm" />}
                </div>
              </td>
              <td className={TD}>
                <div className="break-all">
                  {entry.changed_by_email ?? (entry.changed_by_user_id ? "Unknown user" : "System")}
                </div>
                {entry.is_admin_action && (
                  <span className="mt-1 inline-flex items-center gap-1 rounded-full bg-slate-900 px-2 py-0.5 text-xs text-white">
                    <ShieldCheck aria-hidden="true" className="size-3" /> Admin action
                  </span>
                )}
              </td>
              <td className={`${TD} text-slate-700`}>{entry.reason ?? <span className="text-slate-400">—</span>}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
