import type { Tier } from "../../../api/http/schemas/tier-json.ts";

// "current" (each user's subscription now, what the stat cards count) first: it is the default.
export const STATUS_FILTERS = ["current", "active", "trialing", "past_due", "cancelled", "expired", "all"] as const;
export type StatusFilter = (typeof STATUS_FILTERS)[number];

export const STATUS_LABELS: Record<StatusFilter, string> = {
  current: "Current",
  active: "Active",
  trialing: "Trialing",
  past_due: "Past due",
  cancelled: "Cancelled",
  expired: "Expired",
  all: "All, with history",
};

export const PAGE_SIZE = 20;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export const isUserId = (value: string | null | undefined): value is string =>
  typeof value === "string" && UUID.test(value);

/**
 * Reads list filters from the URL, ignoring anything unknown so a hand-edited URL still loads: a
 * tier must be one the catalog lists, a dialog target must look like a user id.
 */
export function readListQuery(url: URL, tiers: readonly Tier[]) {
  const page = Number.parseInt(url.searchParams.get("page") ?? "1", 10);
  const tier = url.searchParams.get("tier");
  const status = url.searchParams.get("status");
  const assign = url.searchParams.get("assign");
  return {
    page: Number.isFinite(page) && page > 0 ? page : 1,
    tier: tiers.some((candidate) => candidate.slug === tier) ? (tier as string) : "all",
    status: (STATUS_FILTERS as readonly string[]).includes(status ?? "") ? (status as StatusFilter) : "current",
    q: (url.searchParams.get("q") ?? "").trim(),
    assign: isUserId(assign) ? assign : null,
  };
}

/** The current URL without the dialog parameter: where an admin returns after assigning a tier. */
export function withoutAssign(url: { pathname: string; search: string }): string {
  const params = new URLSearchParams(url.search);
  params.delete("assign");
  const search = params.toString();
  return `${url.pathname}${search ? `?${search}` : ""}`;
}
