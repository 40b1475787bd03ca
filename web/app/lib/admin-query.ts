import { isTierSlug } from "./tier-slugs.ts";

export const STATUS_FILTERS = ["all", "active", "trialing", "past_due", "cancelled", "expired"] as const;
export type StatusFilter = (typeof STATUS_FILTERS)[number];

export const PAGE_SIZE = 20;

/** Reads list filters from the URL, ignoring anything unknown so a hand-edited URL still loads. */
export function readListQuery(url: URL) {
  const page = Number.parseInt(url.searchParams.get("page") ?? "1", 10);
  const tier = url.searchParams.get("tier");
  const status = url.searchParams.get("status");
  return {
    page: Number.isFinite(page) && page > 0 ? page : 1,
    tier: isTierSlug(tier) ? tier : "all",
    status: (STATUS_FILTERS as readonly string[]).includes(status ?? "") ? (status as StatusFilter) : "all",
    q: (url.searchParams.get("q") ?? "").trim(),
    assign: url.searchParams.get("assign"),
  };
}

/** The current URL without the dialog parameter: where an admin returns after assigning a tier. */
export function withoutAssign(url: { pathname: string; search: string }): string {
  const params = new URLSearchParams(url.search);
  params.delete("assign");
  const search = params.toString();
  return `${url.pathname}${search ? `?${search}` : ""}`;
}
