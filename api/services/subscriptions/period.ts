import type { BillingCycle } from "../../../db/schema.ts";

export const CYCLE_MONTHS: Record<BillingCycle, number> = { monthly: 1, annual: 12 };

function daysInMonthUtc(year: number, month: number): number {
  return new Date(Date.UTC(year, month + 1, 0)).getUTCDate();
}

/**
 * `anchor` plus whole calendar months in UTC, keeping the anchor's day where the month has it and
 * clamping to the month's last day where it does not (Jan 31 + 1 = Feb 29 in a leap year,
 * Jan 31 + 2 = Mar 31). Always computed from the anchor, never chained, so no day is lost.
 */
export function addMonthsUtc(anchor: Date, months: number): Date {
  const totalMonths = anchor.getUTCFullYear() * 12 + anchor.getUTCMonth() + months;
  const year = Math.floor(totalMonths / 12);
  const month = totalMonths - year * 12;
  const day = Math.min(anchor.getUTCDate(), daysInMonthUtc(year, month));
  return new Date(
    Date.UTC(
      year,
      month,
      day,
      anchor.getUTCHours(),
      anchor.getUTCMinutes(),
      anchor.getUTCSeconds(),
      anchor.getUTCMilliseconds(),
    ),
  );
}

/** End of the `index`-th period (1 = the first) of a subscription anchored at `anchor`. */
export function periodEnd(anchor: Date, cycle: BillingCycle, index = 1): Date {
  return addMonthsUtc(anchor, CYCLE_MONTHS[cycle] * index);
}

/** The billing period that contains `at` (start inclusive, end exclusive). */
export function periodContaining(anchor: Date, cycle: BillingCycle, at: Date): { start: Date; end: Date } {
  const step = CYCLE_MONTHS[cycle];
  const monthsElapsed =
    (at.getUTCFullYear() - anchor.getUTCFullYear()) * 12 + (at.getUTCMonth() - anchor.getUTCMonth());
  let index = Math.max(1, Math.floor(monthsElapsed / step));
  if (periodEnd(anchor, cycle, index) <= at) index += 1;
  return { start: periodEnd(anchor, cycle, index - 1), end: periodEnd(anchor, cycle, index) };
}
