import { json, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import type { BillingCycle, Tier } from "../../../api/http/schemas/tier-json.ts";
import { buttonClass } from "../components/Button.tsx";
import { ErrorPage } from "../components/ErrorPage.tsx";
import { FeatureList } from "../components/FeatureList.tsx";
import { TierBadge } from "../components/TierBadge.tsx";
import { api } from "../lib/api.server.ts";
import { loadFromApi } from "../lib/api-errors.server.ts";
import { annualSaving, formatMoney, pricePerCycle } from "../lib/format.ts";
import { getAuth } from "../lib/session.server.ts";
import { byLevel, refOf } from "../lib/tiers.ts";

export const meta: MetaFunction = () => [{ title: "Pricing · tierkit" }];

export async function loader({ request }: LoaderFunctionArgs) {
  const cycle: BillingCycle = new URL(request.url).searchParams.get("cycle") === "annual" ? "annual" : "monthly";
  const auth = await getAuth(request);
  const [{ tiers }, overview] = await loadFromApi(request, () =>
    Promise.all([api.tiers(), auth ? api.subscription(auth.token) : Promise.resolve(null)]),
  );
  const plan = overview
    ? { current: overview.subscription.tier.slug, upgrades: overview.available_upgrades.map((tier) => tier.slug) }
    : null;
  return json({ tiers: byLevel(tiers.filter((tier) => tier.is_active)), cycle, plan });
}

type Plan = { current: string; upgrades: string[] } | null;

/** The card's way forward, for who is looking: sign up, upgrade, or nothing for the plan they have. */
function PlanAction({ tier, plan, cycle }: { tier: Tier; plan: Plan; cycle: BillingCycle }) {
  const choose = `/profile/upgrade?${new URLSearchParams({ tier: tier.slug, cycle })}`;
  if (!plan) {
    if (!tier.is_paid) {
      return (
        <Link to="/signup" className={buttonClass("secondary", "mt-5")}>
          Start free
        </Link>
      );
    }
    return (
      <Link to={`/signup?${new URLSearchParams({ redirectTo: choose })}`} className={buttonClass("secondary", "mt-5")}>
        Choose {tier.name}
      </Link>
    );
  }
  if (tier.slug === plan.current) {
    return (
      <p className="mt-5 rounded-lg bg-slate-900 px-4 py-2 text-center text-sm font-semibold text-white">
        Your current plan
      </p>
    );
  }
  if (plan.upgrades.includes(tier.slug)) {
    return (
      <Link to={choose} className={buttonClass("primary", "mt-5")}>
        Choose {tier.name}
      </Link>
    );
  }
  return (
    <Link to="/profile/manage" className={buttonClass("secondary", "mt-5")}>
      Change plan in your profile
    </Link>
  );
}

function CycleToggle({ cycle }: { cycle: BillingCycle }) {
  const option = (value: BillingCycle, label: string) => (
    <Link
      to={value === "annual" ? "?cycle=annual" : "?cycle=monthly"}
      preventScrollReset
      aria-current={cycle === value ? "true" : undefined}
      className={`rounded-lg px-4 py-2 text-sm font-medium ${
        cycle === value ? "bg-white text-indigo-700 shadow-sm" : "text-slate-700 hover:text-slate-900"
      }`}
    >
      {label}
    </Link>
  );
  return (
    <nav aria-label="Billing cycle" className="mt-6 inline-flex rounded-xl bg-slate-200/70 p-1">
      {option("monthly", "Monthly")}
      {option("annual", "Annual")}
    </nav>
  );
}

export default function Pricing() {
  const { tiers, cycle, plan } = useLoaderData<typeof loader>();
  return (
    <main className="mx-auto max-w-6xl px-4 py-12 sm:px-6">
      <h1 className="text-3xl font-bold tracking-tight">Pricing</h1>
      <p className="mt-2 text-slate-600">Every plan, billed monthly or annually. Annual billing costs less.</p>
      <CycleToggle cycle={cycle} />
      <ul className="mt-8 grid gap-5 sm:grid-cols-2 lg:grid-cols-3 xl:grid-cols-5">
        {tiers.map((tier) => {
          const saving = annualSaving(tier);
          const price = pricePerCycle(tier, cycle);
          const current = plan?.current === tier.slug;
          return (
            <li
              key={tier.slug}
              data-plan={tier.slug}
              aria-current={current ? "true" : undefined}
              className={`flex flex-col rounded-2xl bg-white p-5 shadow-sm ring-slate-200 ${current ? "ring-2 ring-indigo-600" : "ring-1"}`}
            >
              <div className="flex flex-wrap items-center justify-between gap-2">
                <TierBadge tier={refOf(tier)} />
                {current && <span className="text-xs font-semibold text-indigo-700">Current plan</span>}
              </div>
              <h2 className="mt-3 text-lg font-semibold">{tier.name}</h2>
              <p className="mt-1 text-sm text-slate-600">{tier.description}</p>
              <p className="mt-4">
                <span className="text-2xl font-semibold">{price.amount}</span>
                {tier.is_paid && <span className="text-sm text-slate-600">{price.per}</span>}
              </p>
              {tier.is_paid && (
                <p className="text-sm text-slate-600">
                  {cycle === "annual" ? (
                    <>
                      Billed annually ({formatMoney(Math.round(tier.annual_price_cents / 12))} a month)
                      {saving.percent > 0 && <span className="text-emerald-700"> · save {saving.percent}%</span>}
                    </>
                  ) : (
                    <>
                      Billed monthly, or {formatMoney(tier.annual_price_cents)} billed annually
                      {saving.percent > 0 && <span className="text-emerald-700"> (save {saving.percent}%)</span>}
                    </>
                  )}
                </p>
              )}
              <FeatureList features={tier.features} aria-label={`${tier.name} features`} className="mt-4 flex-1" />
              <div className="mt-auto flex flex-col">
                <PlanAction tier={tier} plan={plan} cycle={cycle} />
              </div>
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
