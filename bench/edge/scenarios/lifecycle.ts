import { randomUUID } from "node:crypto";
import type { Answer, ApiClient, CallOptions } from "../api-client.ts";
import type { Scenario } from "../measure.ts";
import { keep, type User, type World } from "../world.ts";

const BASE = "/api/user/subscription";
const KEYED = " (Idempotency-Key)";

/** A fresh key per request when `keyed`: a replay would answer from the record, not make the change. */
const withKey = (keyed: boolean, options: CallOptions): CallOptions =>
  keyed ? { ...options, headers: { ...options.headers, "Idempotency-Key": randomUUID() } } : options;

type Step = { label: string; method: string; path: string; json?: unknown };

/**
 * Steps that bring the user back to where the round began (schedule a downgrade, then undo it), so
 * one user per Worker serves every round.
 */
function cycle(world: World, tier: "pro" | "business", steps: Step[], keyed: boolean): Scenario {
  const suffix = keyed ? KEYED : "";
  return {
    endpoints: steps.map((step) => ({ label: step.label + suffix, kind: "change" })),
    start: async (target) => {
      const user = await world.newUser(tier);
      return async () => {
        const answers: Record<string, Answer> = {};
        for (const step of steps) {
          const options = withKey(keyed, { token: user.token, json: step.json });
          answers[step.label + suffix] = keep(user, await target.call(step.method, step.path, options));
        }
        return answers;
      };
    },
  };
}

function upgrade(world: World, keyed: boolean): Scenario {
  const label = `POST ${BASE}/upgrade${keyed ? KEYED : ""}`;
  return {
    endpoints: [{ label, kind: "change" }],
    // A member on the free tier upgrades; with no payment provider configured the change applies at once.
    start: async (target) => async () => {
      const user = await world.newUser();
      const options = withKey(keyed, { token: user.token, json: { tier_slug: "pro", billing_cycle: "monthly" } });
      return { [label]: await target.call("POST", `${BASE}/upgrade`, options) };
    },
  };
}

/** An admin assigns tiers to one user, pro and business in turn, so every round is a change. */
function assignTier(world: World, keyed: boolean): Scenario {
  const label = `POST /api/admin/subscriptions/:id/assign-tier${keyed ? KEYED : ""}`;
  return {
    endpoints: [{ label, kind: "change" }],
    start: async (target: ApiClient) => {
      const user: User = await world.newUser();
      let round = 0;
      return async () => {
        round += 1;
        const json = { tier_slug: round % 2 ? "business" : "pro", billing_cycle: "monthly", reason: "edge bench" };
        const path = `/api/admin/subscriptions/${user.id}/assign-tier`;
        return { [label]: await target.call("POST", path, withKey(keyed, { token: world.admin.token, json })) };
      };
    },
  };
}

/** Every lifecycle change and the admin's assignment, without and with an Idempotency-Key. */
export function lifecycleScenarios(world: World): Scenario[] {
  const scenarios: Scenario[] = [];
  for (const keyed of [false, true]) {
    scenarios.push(
      upgrade(world, keyed),
      cycle(
        world,
        "business",
        [
          { label: `POST ${BASE}/downgrade`, method: "POST", path: `${BASE}/downgrade`, json: { tier_slug: "pro" } },
          { label: `DELETE ${BASE}/downgrade`, method: "DELETE", path: `${BASE}/downgrade` },
        ],
        keyed,
      ),
      cycle(
        world,
        "pro",
        [
          { label: `DELETE ${BASE}/cancel`, method: "DELETE", path: `${BASE}/cancel`, json: { reason: "edge bench" } },
          { label: `POST ${BASE}/resume`, method: "POST", path: `${BASE}/resume` },
        ],
        keyed,
      ),
      assignTier(world, keyed),
    );
  }
  return scenarios;
}
