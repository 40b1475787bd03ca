import { type ActionFunctionArgs, json, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { Activity, CircleDollarSign, CreditCard, UserRound, Users } from "lucide-react";
import { AssignTierDialog } from "../components/AssignTierDialog.tsx";
import { ErrorPage } from "../components/ErrorPage.tsx";
import { SelectField } from "../components/Field.tsx";
import { FilterBar } from "../components/FilterBar.tsx";
import { Pagination } from "../components/Pagination.tsx";
import { StatCard } from "../components/StatCard.tsx";
import { SubscriptionTable } from "../components/SubscriptionTable.tsx";
import { TierBreakdownChart } from "../components/TierBreakdownChart.tsx";
import { TierFilterSelect } from "../components/TierFilterSelect.tsx";
import { loadAssignee } from "../lib/admin-assignee.server.ts";
import { PAGE_SIZE, readListQuery, STATUS_FILTERS, STATUS_LABELS, withoutAssign } from "../lib/admin-query.ts";
import { api } from "../lib/api.server.ts";
import { loadFromApi } from "../lib/api-errors.server.ts";
import { assignTier } from "../lib/assign-tier.server.ts";
import { readForm } from "../lib/form.server.ts";
import { formatMoney } from "../lib/format.ts";
import { requireAdmin } from "../lib/session.server.ts";

export const meta: MetaFunction = () => [{ title: "Subscription Management · tierkit" }];

export async function loader({ request }: LoaderFunctionArgs) {
  const { token } = await requireAdmin(request);
  const { tiers } = await loadFromApi(request, () => api.tiers());
  const query = readListQuery(new URL(request.url), tiers);
  const [{ stats }, list, assignee] = await loadFromApi(request, () =>
    Promise.all([
      api.adminStats(token),
      api.adminSubscriptions(token, {
        page: String(query.page),
        limit: String(PAGE_SIZE),
        tier_filter: query.tier,
        status_filter: query.status,
      }),
      loadAssignee(token, query.assign),
    ]),
  );
  return json({ stats, list, tiers, query, assignee });
}

export async function action({ request }: ActionFunctionArgs) {
  const url = new URL(request.url);
  return assignTier(request, await readForm(request), withoutAssign(url), {
    url: url.pathname + url.search,
    inDialog: true,
  });
}

export default function AdminSubscriptions() {
  const { stats, list, tiers, query, assignee } = useLoaderData<typeof loader>();
  const filters: Record<string, string> = { tier: query.tier, status: query.status, page: String(list.page) };

  return (
    <div className="space-y-6">
      <h1 className="text-3xl font-bold tracking-tight">Subscription Management</h1>
      <div className="grid grid-cols-2 gap-4 lg:grid-cols-5">
        <StatCard
          title="Total Subscriptions"
          value={stats.total_subscriptions.toLocaleString("en-US")}
          icon={CreditCard}
          hint="Current, one per user"
        />
        <StatCard
          title="Active"
          value={stats.active_subscriptions.toLocaleString("en-US")}
          icon={Activity}
          hint="Not cancelled"
        />
        <StatCard
          title="Paid Users"
          value={stats.paid_subscriptions.toLocaleString("en-US")}
          icon={Users}
          hint="On a paid tier"
        />
        <StatCard
          title="Free Users"
          value={stats.free_subscriptions.toLocaleString("en-US")}
          icon={UserRound}
          hint="On a free tier"
        />
        <StatCard
          title="MRR"
          value={formatMoney(stats.mrr_cents)}
          icon={CircleDollarSign}
          hint="Active paid, a month's worth (annual ÷ 12)"
        />
      </div>
      <TierBreakdownChart stats={stats} tiers={tiers} />

      <FilterBar label="Filter subscriptions">
        <TierFilterSelect value={query.tier} tiers={tiers} />
        <div className="sm:w-48">
          <SelectField label="Status" name="status" defaultValue={query.status} key={`status-${query.status}`}>
            {STATUS_FILTERS.map((status) => (
              <option key={status} value={status}>
                {STATUS_LABELS[status]}
              </option>
            ))}
          </SelectField>
        </div>
      </FilterBar>

      <SubscriptionTable rows={list.data} filters={filters} />
      <Pagination page={list.page} limit={list.limit} total={list.total} />

      {assignee && <AssignTierDialog assignee={assignee} tiers={tiers} />}
    </div>
  );
}

export function ErrorBoundary() {
  return <ErrorPage embedded />;
}
