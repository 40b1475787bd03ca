import { json, type MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import type { Tier } from "../../../api/http/schemas/tier-json.ts";
import { buttonClass } from "../components/Button.tsx";
import { TierBadge } from "../components/TierBadge.tsx";
import { api } from "../lib/api.server.ts";
import { byLevel, refOf } from "../lib/tiers.ts";

export const meta: MetaFunction = () => [{ title: "tierkit — plans that grow with you" }];

export async function loader() {
  // The home page still greets visitors when the API is away; it just shows no plans.
  const tiers = await api.tiers().then(
    ({ tiers }) => byLevel(tiers),
    (): Tier[] => [],
  );
  return json({ tiers });
}

/** "A, B or C" */
const orList = (names: string[]) =>
  names.length < 2 ? names.join("") : `${names.slice(0, -1).join(", ")} or ${names.at(-1)}`;

export default function Index() {
  const { tiers } = useLoaderData<typeof loader>();
  const [base, ...higher] = tiers;
  return (
    <main className="mx-auto max-w-6xl px-4 py-16 sm:px-6 sm:py-24">
      <div className="max-w-2xl">
        <div className="flex flex-wrap gap-2">
          {tiers.map((tier) => (
            <TierBadge key={tier.slug} tier={refOf(tier)} size="sm" />
          ))}
        </div>
        <h1 className="mt-6 text-4xl font-bold tracking-tight sm:text-5xl">Plans that grow with you.</h1>
        <p className="mt-4 text-lg text-slate-600">
          {base ? `Start as a ${base.name} for free` : "Start for free"}
          {higher.length > 0 ? `, move up to ${orList(higher.map((tier) => tier.name))} whenever you need more,` : ","}{" "}
          and change your plan from your profile at any time.
        </p>
        <div className="mt-8 flex flex-wrap gap-3">
          <Link to="/signup" className={buttonClass("primary")}>
            Create a free account
          </Link>
          <Link to="/pricing" className={buttonClass("secondary")}>
            See pricing
          </Link>
        </div>
      </div>
    </main>
  );
}
