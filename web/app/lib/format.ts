import type { BillingCycle, TierFeatures } from "../../../api/http/schemas/tier-json.ts";

// Fixed locale and time zone: the server render and the browser must print the same text, and the
// text says which zone it is in.
const dateFormat = new Intl.DateTimeFormat("en-US", { dateStyle: "medium", timeZone: "UTC" });
const dateTimeFormat = new Intl.DateTimeFormat("en-US", { dateStyle: "medium", timeStyle: "short", timeZone: "UTC" });
const money = new Intl.NumberFormat("en-US", { style: "currency", currency: "USD" });

export function formatDate(iso: string | null | undefined): string {
  return iso ? `${dateFormat.format(new Date(iso))} (UTC)` : "—";
}

export function formatDateTime(iso: string | null | undefined): string {
  return iso ? `${dateTimeFormat.format(new Date(iso))} UTC` : "—";
}

export function formatMoney(cents: number): string {
  return money.format(cents / 100);
}

export function formatPrice(cents: number): string {
  return cents === 0 ? "Free" : formatMoney(cents);
}

/** What a plan costs per its cycle: "$9.99/month", "$99.90/year". */
export function pricePerCycle(
  prices: { monthly_price_cents: number; annual_price_cents: number },
  cycle: BillingCycle,
) {
  return cycle === "annual"
    ? { amount: formatPrice(prices.annual_price_cents), per: "/year" }
    : { amount: formatPrice(prices.monthly_price_cents), per: "/month" };
}

export const cycleWords: Record<BillingCycle, string> = { monthly: "billed monthly", annual: "billed annually" };

export function annualSaving(prices: { monthly_price_cents: number; annual_price_cents: number }) {
  const yearOfMonths = prices.monthly_price_cents * 12;
  const cents = yearOfMonths - prices.annual_price_cents;
  return { cents, percent: yearOfMonths > 0 ? Math.round((cents / yearOfMonths) * 100) : 0 };
}

const DAY_MS = 24 * 60 * 60 * 1000;

export function daysUntil(iso: string | null, now: number): number | null {
  return iso ? Math.ceil((new Date(iso).getTime() - now) / DAY_MS) : null;
}

const count = (value: number) => value.toLocaleString("en-US");

/** Storage in the largest unit that reads naturally: 500 GB, 1 TB, 2.5 TB. */
export function formatStorage(gb: number): string {
  return gb >= 1000 ? `${count(gb / 1000)} TB` : `${count(gb)} GB`;
}

const PER_DAY = "_per_day";

// The features the launch catalog uses, in the words a pricing page would use.
const KNOWN: Record<string, (value: unknown) => string | null> = {
  messages_per_day: (v) =>
    v === null ? "Unlimited messages a day" : typeof v === "number" ? `${count(v)} messages a day` : null,
  documents: (v) => (v === null ? "Unlimited documents" : typeof v === "number" ? `${count(v)} documents` : null),
  storage_gb: (v) => (typeof v === "number" ? `${formatStorage(v)} storage` : null),
  seats: (v) => (typeof v === "number" ? (v === 1 ? "1 seat" : `${count(v)} seats`) : null),
  priority_support: (v) => (v === true ? "Priority support" : null),
  api_access: (v) => (v === true ? "API access" : null),
};

/** Any other key reads as words: flags by name, limits with their number, `_per_day` as "a day". */
function generic(key: string, value: unknown): string | null {
  const daily = key.endsWith(PER_DAY);
  const words = titleCase(daily ? key.slice(0, -PER_DAY.length) : key).toLowerCase();
  const suffix = daily ? " a day" : "";
  if (value === true) return titleCase(key);
  if (value === null) return `Unlimited ${words}${suffix}`;
  if (typeof value === "number" && Number.isFinite(value)) return `${count(value)} ${words}${suffix}`;
  if (typeof value === "string" && value) return `${titleCase(key)}: ${value}`;
  return null;
}

/**
 * A tier's features as lines of text, the launch keys first in a pricing page's order (the stored
 * JSON has no order to keep); features with nothing to say (false, `{}`) give none.
 */
export function featureList(features: TierFeatures): string[] {
  const known = Object.keys(KNOWN).filter((key) => key in features);
  const others = Object.keys(features).filter((key) => !(key in KNOWN));
  return [...known, ...others].flatMap((key) => {
    const line = (KNOWN[key] ?? ((v: unknown) => generic(key, v)))(features[key]);
    return line ? [line] : [];
  });
}

/** A name inside plain text (a toast), isolated like <bdi> so a right-to-left name cannot reorder its neighbours. */
export const isolate = (name: string) => `\u2068${name}\u2069`;

export function titleCase(value: string): string {
  return value
    .split("_")
    .map((word, i) => (i === 0 ? word.charAt(0).toUpperCase() + word.slice(1) : word))
    .join(" ");
}
