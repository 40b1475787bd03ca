import { type ActionFunctionArgs, json, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { AssignTierDialog } from "../components/AssignTierDialog.tsx";
import { ErrorPage } from "../components/ErrorPage.tsx";
import { TextField } from "../components/Field.tsx";
import { FilterBar } from "../components/FilterBar.tsx";
import { Pagination } from "../components/Pagination.tsx";
import { TierFilterSelect } from "../components/TierFilterSelect.tsx";
import { UserTable } from "../components/UserTable.tsx";
import { loadAssignee } from "../lib/admin-assignee.server.ts";
import { PAGE_SIZE, readListQuery, withoutAssign } from "../lib/admin-query.ts";
import { api } from "../lib/api.server.ts";
import { loadFromApi } from "../lib/api-errors.server.ts";
import { assignTier } from "../lib/assign-tier.server.ts";
import { readForm } from "../lib/form.server.ts";
import { requireAdmin } from "../lib/session.server.ts";

export const meta: MetaFunction = () => [{ title: "Users · tierkit admin" }];

export async function loader({ request }: LoaderFunctionArgs) {
  const { token } = await requireAdmin(request);
  const { tiers } = await loadFromApi(request, () => api.tiers());
  const query = readListQuery(new URL(request.url), tiers);
  const [list, assignee] = await loadFromApi(request, () =>
    Promise.all([
      api.adminUsers(token, {
        page: String(query.page),
        limit: String(PAGE_SIZE),
        ...(query.tier === "all" ? {} : { tier: query.tier }),
        ...(query.q ? { q: query.q } : {}),
      }),
      loadAssignee(token, query.assign),
    ]),
  );
  return json({ list, tiers, query, assignee });
}

export async function action({ request }: ActionFunctionArgs) {
  const url = new URL(request.url);
  return assignTier(request, await readForm(request), withoutAssign(url), {
    url: url.pathname + url.search,
    inDialog: true,
  });
}

export default function AdminUsers() {
  const { list, tiers, query, assignee } = useLoaderData<typeof loader>();
  const filters: Record<string, string> = { tier: query.tier, q: query.q, page: String(list.page) };

  return (
    <div className="space-y-6">
      <h1 className="text-3xl font-bold tracking-tight">Users</h1>
      <FilterBar label="Find users">
        <div className="sm:flex-1">
          <TextField
            label="Search by email"
            name="q"
            type="search"
            defaultValue={query.q}
            key={`q-${query.q}`}
            placeholder="name@example.com"
          />
        </div>
        <TierFilterSelect value={query.tier} tiers={tiers} />
      </FilterBar>

      <UserTable rows={list.data} filters={filters} />
      <Pagination page={list.page} limit={list.limit} total={list.total} />

      {assignee && <AssignTierDialog assignee={assignee} tiers={tiers} />}
    </div>
  );
}

export function ErrorBoundary() {
  return <ErrorPage embedded />;
}
