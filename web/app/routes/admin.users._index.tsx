import { json, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { AssignTierDialog } from "../components/AssignTierDialog.tsx";
import { ErrorPage } from "../components/ErrorPage.tsx";
import { TextField } from "../components/Field.tsx";
import { FilterBar } from "../components/FilterBar.tsx";
import { Pagination } from "../components/Pagination.tsx";
import { TierFilterSelect } from "../components/TierFilterSelect.tsx";
import { UserTable } from "../components/UserTable.tsx";
import { PAGE_SIZE, readListQuery, withoutAssign } from "../lib/admin-query.ts";
import { loadFromApi } from "../lib/api-errors.server.ts";
import { api } from "../lib/api.server.ts";
import { assignTier } from "../lib/assign-tier.server.ts";
import { requireAdmin } from "../lib/session.server.ts";

export const meta: MetaFunction = () => [{ title: "Users · tierkit admin" }];

export async function loader({ request }: LoaderFunctionArgs) {
  const { token } = await requireAdmin(request);
  const query = readListQuery(new URL(request.url));
  const [list, { tiers }] = await loadFromApi(request, () =>
    Promise.all([
      api.adminUsers(token, {
        page: String(query.page),
        limit: String(PAGE_SIZE),
        ...(query.tier === "all" ? {} : { tier: query.tier }),
        ...(query.q ? { q: query.q } : {}),
      }),
      api.tiers(),
    ]),
  );
  return json({ list, tiers, query });
}

export async function action({ request }: ActionFunctionArgs) {
  return assignTier(request, withoutAssign(new URL(request.url)));
}

export default function AdminUsers() {
  const { list, tiers, query } = useLoaderData<typeof loader>();
  const filters: Record<string, string> = { tier: query.tier, q: query.q, page: String(query.page) };
  const assigning = query.assign ? list.data.find((user) => user.id === query.assign) : undefined;

  return (
    <div className="space-y-6">
      <h1 className="text-3xl font-bold tracking-tight">Users</h1>
      <FilterBar label="Find users">
        <div className="sm:flex-1">
          <TextField label="Search by email" name="q" type="search" defaultValue={query.q} key={`q-${query.q}`} placeholder="name@example.com" />
        </div>
        <TierFilterSelect value={query.tier} />
      </FilterBar>

      <UserTable rows={list.data} filters={filters} />
      <Pagination page={list.page} limit={list.limit} total={list.total} />

      {query.assign && (
        <AssignTierDialog
          userId={query.assign}
          user={assigning && { name: assigning.display_name, email: assigning.email, tier: assigning.tier_slug }}
          tiers={tiers}
        />
      )}
    </div>
  );
}

export function ErrorBoundary() {
  return <ErrorPage />;
}
