import { type ActionFunctionArgs, json, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Link, useActionData, useLoaderData } from "@remix-run/react";
import { ArrowLeft, ShieldCheck } from "lucide-react";
import type { ReactNode } from "react";
import { AdminSeatsCard } from "../components/AdminSeatsCard.tsx";
import { AssignTierForm } from "../components/AssignTierForm.tsx";
import { ErrorPage } from "../components/ErrorPage.tsx";
import { HistoryTable } from "../components/HistoryTable.tsx";
import { StatusPill } from "../components/StatusPill.tsx";
import { nextStep } from "../components/SubscriptionCard.tsx";
import { TierBadge } from "../components/TierBadge.tsx";
import { isUserId } from "../lib/admin-query.ts";
import { api } from "../lib/api.server.ts";
import { loadFromApi } from "../lib/api-errors.server.ts";
import { assignTier } from "../lib/assign-tier.server.ts";
import { readForm } from "../lib/form.server.ts";
import { formatDate, formatDateTime, titleCase } from "../lib/format.ts";
import { requireAdmin } from "../lib/session.server.ts";
import { tierRef } from "../lib/tiers.ts";

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: `${data?.user.display_name ?? "User"} · tierkit admin` },
];

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { token } = await requireAdmin(request);
  const userId = params.userId ?? "";
  // Not an id at all: the same "no such user" as an id nobody has, without asking the API.
  if (!isUserId(userId)) throw json({ message: "There is no such user." }, { status: 404 });
  const [{ user, subscription }, { history }, { tiers }, seats] = await loadFromApi(request, () =>
    Promise.all([api.adminUser(token, userId), api.history(token, userId), api.tiers(), api.adminSeats(token, userId)]),
  );
  return json({ user, subscription, history, tiers, seats });
}

export async function action({ request, params }: ActionFunctionArgs) {
  const here = `/admin/users/${encodeURIComponent(params.userId ?? "")}`;
  return assignTier(request, await readForm(request), here, { url: here, inDialog: false });
}

function Card({ title, children }: { title: string; children: ReactNode }) {
  return (
    <section aria-label={title} className="rounded-2xl bg-white p-5 shadow-sm ring-1 ring-slate-200 sm:p-6">
      <h2 className="text-lg font-semibold">{title}</h2>
      <div className="mt-4">{children}</div>
    </section>
  );
}

function Row({ label, children }: { label: string; children: ReactNode }) {
  return (
    <div className="flex flex-col gap-0.5 py-2 sm:flex-row sm:gap-4">
      <dt className="text-sm text-slate-500 sm:w-36 sm:shrink-0">{label}</dt>
      <dd className="min-w-0 text-sm break-words">{children}</dd>
    </div>
  );
}

export default function AdminUserDetails() {
  const { user, subscription, history, tiers, seats } = useLoaderData<typeof loader>();
  const errors = useActionData<typeof action>()?.errors;
  return (
    <div className="space-y-6">
      <Link to="/admin/users" className="inline-flex items-center gap-1 text-sm text-indigo-700 hover:underline">
        <ArrowLeft aria-hidden="true" className="size-4" /> All users
      </Link>
      <div className="flex flex-wrap items-center gap-3">
        <h1 className="text-3xl font-bold tracking-tight">
          <bdi>{user.display_name}</bdi>
        </h1>
        <TierBadge tier={tierRef(tiers, subscription?.tier.slug ?? user.tier_slug)} size="lg" />
        {user.is_admin && (
          <span className="inline-flex items-center gap-1 rounded-full bg-slate-900 px-2.5 py-1 text-xs text-white">
            <ShieldCheck aria-hidden="true" className="size-3.5" /> Admin
          </span>
        )}
      </div>

      <div className="grid items-start gap-6 lg:grid-cols-2">
        <Card title="Details">
          <dl className="divide-y divide-slate-100">
            <Row label="Email">{user.email}</Row>
            <Row label="Display name">
              <bdi>{user.display_name}</bdi>
            </Row>
            <Row label="Job title">{user.job_title || "—"}</Row>
            <Row label="Location">{user.location || "—"}</Row>
            <Row label="Bio">{user.bio || "—"}</Row>
            <Row label="Joined">{formatDate(user.created_at)}</Row>
            <Row label="Last login">{formatDateTime(user.last_login)}</Row>
          </dl>
        </Card>
        <Card title="Current subscription">
          {subscription ? (
            <dl className="divide-y divide-slate-100">
              <Row label="Tier">
                <TierBadge
                  tier={{ slug: subscription.tier.slug, name: subscription.tier.name, level: subscription.tier.level }}
                  size="sm"
                />
              </Row>
              <Row label="Status">
                <StatusPill status={subscription.status} />
              </Row>
              <Row label="Billing cycle">
                {subscription.billing_cycle ? titleCase(subscription.billing_cycle) : "—"}
              </Row>
              <Row label="Paid via">
                {subscription.payment_provider
                  ? `${titleCase(subscription.payment_provider)} ${subscription.payment_provider_id ?? ""}`
                  : "—"}
              </Row>
              <Row label="Started">{formatDate(subscription.started_at)}</Row>
              {nextStep(subscription, tiers) && <Row label="What happens next">{nextStep(subscription, tiers)}</Row>}
            </dl>
          ) : (
            <p className="text-sm text-slate-600">This user has no current subscription.</p>
          )}
        </Card>
      </div>

      <Card title="Seats">
        <AdminSeatsCard userId={user.id} seats={seats} />
      </Card>

      <Card title="Change tier">
        <AssignTierForm
          key={subscription?.id ?? user.id}
          userId={user.id}
          tiers={tiers}
          currentTier={subscription?.tier.slug ?? user.tier_slug}
          errors={errors}
          submitLabel="Change tier"
        />
      </Card>

      <Card title="Subscription history">
        <HistoryTable history={history} tiers={tiers} />
      </Card>
    </div>
  );
}

export function ErrorBoundary() {
  return <ErrorPage embedded />;
}
