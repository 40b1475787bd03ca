import type { MetaFunction } from "@remix-run/node";
import { Link } from "@remix-run/react";
import { TIER_SLUGS } from "../lib/tier-slugs.ts";
import { buttonClass } from "../components/Button.tsx";
import { TierBadge } from "../components/TierBadge.tsx";

export const meta: MetaFunction = () => [{ title: "tierkit — plans that grow with you" }];

export default function Index() {
  return (
    <main className="mx-auto max-w-6xl px-4 py-16 sm:px-6 sm:py-24">
      <div className="max-w-2xl">
        <div className="flex flex-wrap gap-2">
          {TIER_SLUGS.map((slug) => (
            <TierBadge key={slug} tier={slug} size="sm" />
          ))}
        </div>
        <h1 className="mt-6 text-4xl font-bold tracking-tight sm:text-5xl">Plans that grow with you.</h1>
        <p className="mt-4 text-lg text-slate-600">
          Start as a Member for free, move up to Pro, Business, Elite or Family whenever you need more, and change your
          plan from your profile at any time.
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
