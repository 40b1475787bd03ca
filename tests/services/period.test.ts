import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { addMonthsUtc, periodContaining } from "../../api/services/subscriptions/index.ts";
import { queryRows } from "../../db/client/types.ts";
import type { BillingCycle } from "../../db/schema.ts";
import { createTestDatabase, type TestDatabase } from "../support/test-db.ts";

// [anchor, months, expected]: calendar months in UTC, keeping the anchor day where it exists.
const additions: [string, number, string][] = [
  ["2025-01-31T10:00:00Z", 1, "2025-02-28T10:00:00Z"],
  ["2024-01-31T10:00:00Z", 1, "2024-02-29T10:00:00Z"],
  ["2024-01-31T10:00:00Z", 2, "2024-03-31T10:00:00Z"],
  ["2024-01-31T10:00:00Z", 3, "2024-04-30T10:00:00Z"],
  ["2024-02-29T00:00:00Z", 12, "2025-02-28T00:00:00Z"],
  ["2024-02-29T00:00:00Z", 48, "2028-02-29T00:00:00Z"],
  ["2025-03-31T23:59:59.999Z", 1, "2025-04-30T23:59:59.999Z"],
  ["2025-12-15T08:30:00Z", 1, "2026-01-15T08:30:00Z"],
  ["2025-11-30T00:00:00Z", 3, "2026-02-28T00:00:00Z"],
  ["2025-08-31T12:00:00Z", 6, "2026-02-28T12:00:00Z"],
];

// [anchor, cycle, at, start, end]: the period that contains `at` (start inclusive, end exclusive).
const periods: [string, BillingCycle, string, string, string][] = [
  ["2024-01-31T10:00:00Z", "monthly", "2024-01-31T10:00:00Z", "2024-01-31T10:00:00Z", "2024-02-29T10:00:00Z"],
  ["2024-01-31T10:00:00Z", "monthly", "2024-02-29T10:00:00Z", "2024-02-29T10:00:00Z", "2024-03-31T10:00:00Z"],
  ["2024-01-31T10:00:00Z", "monthly", "2024-03-15T00:00:00Z", "2024-02-29T10:00:00Z", "2024-03-31T10:00:00Z"],
  ["2024-01-31T10:00:00Z", "monthly", "2024-04-30T09:59:59Z", "2024-03-31T10:00:00Z", "2024-04-30T10:00:00Z"],
  ["2024-01-31T10:00:00Z", "monthly", "2024-06-15T00:00:00Z", "2024-05-31T10:00:00Z", "2024-06-30T10:00:00Z"],
  ["2024-01-31T10:00:00Z", "monthly", "2024-05-31T09:00:00Z", "2024-04-30T10:00:00Z", "2024-05-31T10:00:00Z"],
  ["2024-02-29T00:00:00Z", "annual", "2025-02-28T00:00:00Z", "2025-02-28T00:00:00Z", "2026-02-28T00:00:00Z"],
  ["2024-02-29T00:00:00Z", "annual", "2027-12-31T00:00:00Z", "2027-02-28T00:00:00Z", "2028-02-29T00:00:00Z"],
  ["2025-06-15T00:00:00Z", "annual", "2025-06-20T00:00:00Z", "2025-06-15T00:00:00Z", "2026-06-15T00:00:00Z"],
];

let handle: TestDatabase;
beforeAll(async () => {
  handle = await createTestDatabase();
});
afterAll(() => handle.close());

describe("addMonthsUtc", () => {
  it.each(additions)("%s + %i months = %s", (anchor, months, expected) => {
    expect(addMonthsUtc(new Date(anchor), months).toISOString()).toBe(new Date(expected).toISOString());
  });
});

describe("periodContaining (TypeScript) and billing_period_at (SQL) agree", () => {
  it.each(periods)("anchor %s %s at %s → [%s, %s)", async (anchor, cycle, atIso, start, end) => {
    const ts = periodContaining(new Date(anchor), cycle, new Date(atIso));
    expect([ts.start.toISOString(), ts.end.toISOString()]).toEqual([
      new Date(start).toISOString(),
      new Date(end).toISOString(),
    ]);
    // The SQL twin runs the cron; set an exotic session time zone to prove it does its math in UTC.
    const [row] = await queryRows<{ start: string; end: string }>(
      handle.db,
      sql`SELECT to_char(p.period_start AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"') AS start,
                 to_char(p.period_end AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"') AS "end"
          FROM (SELECT set_config('TimeZone', 'Pacific/Kiritimati', true)) tz,
               billing_period_at(${anchor}::timestamptz, ${cycle}, ${atIso}::timestamptz) p`,
    );
    expect(row).toEqual({
      start: new Date(start).toISOString().replace(".000", ""),
      end: new Date(end).toISOString().replace(".000", ""),
    });
  });
});
