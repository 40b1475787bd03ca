import type { Database } from "../../../db/client/types.ts";
import { currentEntitlements } from "../entitlements/current.ts";
import { limitsOf } from "../entitlements/features.ts";
import { TOTAL_PERIOD, windowAt } from "./windows.ts";

export type EntitlementReport =
  | {
      type: "limit";
      feature: string;
      key: string;
      window: "day" | "total";
      limit: number | null;
      used: number;
      remaining: number | null;
      resetsAt: Date | null;
    }
  | { type: "flag"; feature: string; key: string; enabled: boolean };

export interface UsageReport {
  tierSlug: string;
  tierLevel: number;
  features: EntitlementReport[];
}

/**
 * Every entitlement of the user's current tier: limits with the usage of the window open now, and
 * flags; null when the user is gone or the caller's session has ended.
 */
export async function usageReport(
  db: Database,
  caller: { userId: string; sid?: string },
  now: Date,
): Promise<UsageReport | null> {
  const today = windowAt("day", now).period;
  const current = await currentEntitlements(db, caller.userId, { periods: [TOTAL_PERIOD, today], sid: caller.sid });
  if (!current) return null;
  const limits: EntitlementReport[] = limitsOf(current.ent).map((spec) => {
    const { period, resetsAt } = windowAt(spec.window, now);
    const used = current.usage[`${spec.feature}:${period}`] ?? 0;
    return {
      type: "limit",
      feature: spec.feature,
      key: spec.key,
      window: spec.window,
      limit: spec.limit,
      used,
      remaining: spec.limit === null ? null : Math.max(spec.limit - used, 0),
      resetsAt,
    };
  });
  const flags: EntitlementReport[] = Object.entries(current.ent)
    .filter((entry): entry is [string, boolean] => typeof entry[1] === "boolean")
    .map(([key, enabled]) => ({ type: "flag", feature: key, key, enabled }));
  return { tierSlug: current.tierSlug, tierLevel: current.tierLevel, features: [...limits, ...flags] };
}
