import { describe, expect, it } from "vitest";
import { annualSaving, daysUntil, featureList, formatDate, formatPrice } from "../../web/app/lib/format.ts";

describe("plan formatting", () => {
  it("counts the days left the way the 7-day warning needs", () => {
    const now = Date.parse("2025-03-01T12:00:00Z");
    expect(daysUntil("2025-03-08T12:00:00Z", now)).toBe(7);
    expect(daysUntil("2025-03-08T12:00:01Z", now)).toBe(8);
    expect(daysUntil(null, now)).toBeNull();
  });

  it("prices in dollars and computes the annual saving", () => {
    expect(formatPrice(0)).toBe("Free");
    expect(formatPrice(999)).toBe("$9.99");
    expect(annualSaving({ monthly_price_cents: 999, annual_price_cents: 9990 })).toEqual({ cents: 1998, percent: 17 });
    expect(annualSaving({ monthly_price_cents: 0, annual_price_cents: 0 })).toEqual({ cents: 0, percent: 0 });
  });

  it("prints dates in UTC so server and browser agree", () => {
    expect(formatDate("2025-11-01T00:00:00Z")).toBe("Nov 1, 2025 (UTC)");
    expect(formatDate(null)).toBe("—");
  });

  it("describes features, with null as unlimited", () => {
    expect(
      featureList({
        messages_per_day: null,
        documents: 2000,
        storage_gb: 100,
        seats: 5,
        priority_support: true,
        api_access: false,
      }),
    ).toEqual(["Unlimited messages a day", "2,000 documents", "100 GB storage", "5 seats", "Priority support"]);
  });

  it("says 1 TB, not 1,000 GB", () => {
    expect(featureList({ storage_gb: 1000 })).toEqual(["1 TB storage"]);
    expect(featureList({ storage_gb: 2500 })).toEqual(["2.5 TB storage"]);
    expect(featureList({ storage_gb: 500 })).toEqual(["500 GB storage"]);
  });

  it("reads features it has no words for, and none at all from {}", () => {
    expect(featureList({})).toEqual([]);
    expect(
      featureList({ custom_branding: true, white_glove: false, exports_per_day: 3, projects: null, region: "EU" }),
    ).toEqual(["Custom branding", "3 exports a day", "Unlimited projects", "Region: EU"]);
  });
});
