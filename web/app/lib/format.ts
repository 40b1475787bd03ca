import type { TierFeatures } from "../../../api/http/schemas/tier-json.ts";

// Fixed locale and time zone: the server render and the browser must print the same text.
const dateFormat = new Intl.DateTimeFormat("en-US", { dateStyle: "medium", timeZone: "UTC" });
const dateTimeFormat = new Intl.DateTimeFormat("en-US", { dateStyle: "medium", timeStyle: "short", timeZone: "UTC" });
const money = new Intl.NumberFormat("en-US", { style: "currency", currency: "USD" });

export function formatDate(iso: string | null | undefined): string {
  return iso ? dateFormat.format(new Date(iso)) : "—";
}

export function formatDateTime(iso: string | null | undefined): string {
  return iso ? `${dateTimeFormat.format(new Date(iso))} UTC` : "—";
}

export function formatPrice(cents: number): string {
  return cents === 0 ? "Free" : money.format(cents / 100);
}

export function annualSaving(prices: { monthly_price_cents: number; annual_price_cents: number }) {
  const yearOfMonths = prices.monthly_price_cents * 12;
  const cents = yearOfMonths - prices.annual_price_cents;
  return { cents, percent: yearOfMonths > 0 ? Math.round((cents / yearOfMonths) * 100) : 0 };
}

const DAY_MS = 24 * 60 * 60 * 1000;

export function daysUntil(iso: string | null, now: number): number | null {
  return iso ? Math.ceil((new Date(iso).getTime() - now) / DAY_MS) : null;
}

function limit(value: number | null, unit: string): string {
  return value === null ? `Unlimited ${unit}` : `${value.toLocaleString("en-US")} ${unit}`;
}

export function featureList(features: TierFeatures): string[] {
  const list = [
    limit(features.messages_per_day, "messages a day"),
    limit(features.documents, "documents"),
    `${features.storage_gb.toLocaleString("en-US")} GB storage`,
    features.seats === 1 ? "1 seat" : `${features.seats} seats`,
  ];
  if (features.priority_support) list.push("Priority support");
  if (features.api_access) list.push("API access");
  return list;
}

export function titleCase(value: string): string {
  return value
    .split("_")
    .map((word, i) => (i === 0 ? word.charAt(0).toUpperCase() + word.slice(1) : word))
    .join(" ");
}
