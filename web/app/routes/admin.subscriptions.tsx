import { json, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { Activity, CreditCard, UserRound, Users } from "lucide-react";
import { AssignTierDialog } from "../components/AssignTierDialog.tsx";
import { ErrorPage } from "../components/ErrorPage.tsx";
import { SelectField } from "../components/Field.tsx";
import { FilterBar } from "../components/FilterBar.tsx";
import { Pagination } from "../components/Pagination.tsx";
import { StatCard } from "../components/StatCard.tsx";
import { SubscriptionTable } from "../components/SubscriptionTable.tsx";
import { TierBreakdownChart } from "../components/TierBreakdownChart.tsx";
import { TierFilterSelect } from "../components/TierFilterSelect.tsx";
import { PAGE_SIZE, readListQuery, STATUS_FILTERS, withoutAssign } from "../lib/admin-query.ts";
import { loadFromApi } from "../lib/api-errors.server.ts";
import { api } from "../lib/api.server.ts";
import { TIER_SLUGS } from "../lib/api-types.ts";
import { assignTier } from "../lib/assign-tier.server.ts";
import { titleCase } from "../lib/format.ts";
import { requireAdmin } from "../lib/session.server.ts";

export const meta: MetaFunction = () => [{ title: "Subscription Management · tierkit" }];

export async function loader({ request }: LoaderFunctionArgs) {
  const { token } = await requireAdmin(request);
  const query = readListQuery(new URL(request.url));
  const [{ stats }, list, { tiers }] = await loadFromApi(request, () =>
    Promise.all([
      api.adminStats(token),
      api.adminSubscriptions(token, {
        page: String(query.page),
        limit: String(PAGE_SIZE),
        tier_filter: query.tier,
        status_filter: query.status,
      }),
      api.tiers(),
    ]),
  );
  return json({ stats, list, tiers, query });
}

export async function action({ request }: ActionFunctionArgs) {
  return assignTier(request, withoutAssign(new URL(request.url)));
}

export default function AdminSubscriptions() {
  const { stats, list, tiers, query } = useLoaderData<typeof loader>();
  const paid = TIER_SLUGS.filter((slug) => slug !== "member").reduce((sum, slug) => sum + (stats.by_tier[slug] ?? 0), 0);
  const filters: Record<string, string> = { tier: query.tier, status: query.status, page: String(query.page) };
  const assigning = query.assign ? list.data.find((row) => row.user_id === query.assign) : undefined;

  return (
    <div className="space-y-6">
      <h1 className="text-3xl font-bold tracking-tight">Subscription Management</h1>
      <div className="grid grid-cols-2 gap-4 lg:grid-cols-4">
        <StatCard title="Total Subscriptions" value={stats.total_subscriptions} icon={CreditCard} />
        <StatCard title="Active" value={stats.active_subscriptions} icon={Activity} />
        <StatCard title="Paid Users" value={paid} icon={Users} hint="Pro, Business, Elite and Family" />
        <StatCard title="Free Users" value={stats.by_tier.member ?? 0} icon={UserRound} hint="Member" />
      </div>
      <TierBreakdownChart stats={stats} />

      <FilterBar label="Filter subscriptions">
        <TierFilterSelect value={query.tier} />
        <div className="sm:w-48">
          <SelectField label="Status" name="status" defaultValue={query.status} key={`status-${query.status}`}>
            {STATUS_FILTERS.map((status) => (
              <option key={status} value={status}>
                {status === "all" ? "All statuses" : titleCase(status)}
              </option>
            ))}
          </SelectField>
        </div>
      </FilterBar>

      <SubscriptionTable rows={list.data} filters={filters} />
      <Pagination page={list.page} limit={list.limit} total={list.total} />

      {query.assign && (
        <AssignTierDialog
          userId={query.assign}
          user={assigning && { name: assigning.user_display_name, email: assigning.user_email, tier: assigning.tier_slug }}
          tiers={tiers}
        />
      )}
    </div>
  );
}

export function ErrorBoundary() {
  return <ErrorPage />;
}
