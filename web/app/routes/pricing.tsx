import { json, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { buttonClass } from "../components/Button.tsx";
import { ErrorPage } from "../components/ErrorPage.tsx";
import { FeatureList } from "../components/FeatureList.tsx";
import { TierBadge } from "../components/TierBadge.tsx";
import { loadFromApi } from "../lib/api-errors.server.ts";
import { api } from "../lib/api.server.ts";
import { annualSaving, formatPrice } from "../lib/format.ts";

export const meta: MetaFunction = () => [{ title: "Pricing · tierkit" }];

export async function loader({ request }: LoaderFunctionArgs) {
  const { tiers } = await loadFromApi(request, () => api.tiers());
  const active = tiers.filter((tier) => tier.is_active).sort((a, b) => a.tier_level - b.tier_level);
  return json({ tiers: active });
}

export default function Pricing() {
  const { tiers } = useLoaderData<typeof loader>();
  return (
    <main className="mx-auto max-w-6xl px-4 py-12 sm:px-6">
      <h1 className="text-3xl font-bold tracking-tight">Pricing</h1>
      <p className="mt-2 text-slate-600">Every plan, monthly or annual. Annual billing costs less.</p>
      <ul className="mt-8 grid gap-5 sm:grid-cols-2 lg:grid-cols-5">
        {tiers.map((tier) => {
          const saving = annualSaving(tier);
          return (
            <li key={tier.slug} className="flex flex-col rounded-2xl bg-white p-5 shadow-sm ring-1 ring-slate-200">
              <TierBadge tier={tier.slug} />
              <h2 className="mt-3 text-lg font-semibold">{tier.name}</h2>
              <p className="mt-1 text-sm text-slate-600">{tier.description}</p>
              <dl className="mt-4 space-y-1">
                <div className="flex items-baseline gap-1">
                  <dt className="sr-only">Monthly price</dt>
                  <dd className="text-2xl font-semibold">{formatPrice(tier.monthly_price_cents)}</dd>
                  {tier.monthly_price_cents > 0 && <span className="text-sm text-slate-500">/month</span>}
                </div>
                {tier.annual_price_cents > 0 && (
                  <div className="text-sm text-slate-600">
                    <dt className="inline">Annual: </dt>
                    <dd className="inline">
                      {formatPrice(tier.annual_price_cents)}/year
                      {saving.percent > 0 && <span className="text-emerald-700"> · save {saving.percent}%</span>}
                    </dd>
                  </div>
                )}
              </dl>
              <FeatureList features={tier.features} aria-label={`${tier.name} features`} className="mt-4 flex-1" />
              <Link to={tier.tier_level <= 1 ? "/signup" : "/profile/upgrade"} className={buttonClass("secondary", "mt-5")}>
                {tier.tier_level <= 1 ? "Start free" : `Choose ${tier.name}`}
              </Link>
            </li>
          );
        })}
      </ul>
    </main>
  );
}

export function ErrorBoundary() {
  return <ErrorPage />;
}
