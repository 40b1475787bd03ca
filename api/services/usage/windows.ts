import type { LimitSpec } from "../entitlements/features.ts";

/** The counter row a window's usage is kept in: 'total' for running totals, the UTC day otherwise. */
export const TOTAL_PERIOD = "total";

export interface UsageWindow {
  period: string;
  /** When the window's usage starts again from zero; null for a running total. */
  resetsAt: Date | null;
}

export function windowAt(window: LimitSpec["window"], now: Date): UsageWindow {
  if (window === "total") return { period: TOTAL_PERIOD, resetsAt: null };
  const day = now.toISOString().slice(0, 10);
  const next = new Date(`${day}T00:00:00.000Z`);
  next.setUTCDate(next.getUTCDate() + 1);
  return { period: day, resetsAt: next };
}
