// A lifecycle operation: its rule (lifecycle.ts) run through one read and one batch (change.ts).
import type { SQL } from "drizzle-orm";
import type { Database } from "../../../db/client/types.ts";
import type { Tier } from "../../../db/schema.ts";
import { callerGone } from "../service-error.ts";
import {
  applyChange,
  type Change,
  type ChangeKey,
  type ChangeOutcome,
  type ChangeState,
  type Decision,
  type Draft,
} from "./change.ts";
import { SubscriptionError } from "./errors.ts";

/** Who asks, for the HTTP layer: the caller's session, their Idempotency-Key, whether they want a fresh token. */
export interface Caller {
  sid?: string;
  /** A statement answering one value that raises to refuse (an admin's rights): it gates the change's read. */
  guard?: SQL;
  key?: ChangeKey;
  token?: boolean;
}

/** The state a rule decides on; `target` is read only by the operations that name one. */
export type Targeted = ChangeState & { target: Tier };
export type Rule<I> = (input: I, state: Targeted, draft: Draft) => Promise<Decision>;

/**
 * A lifecycle operation: called plainly it answers the Change; `outcome` is the same change for an
 * HTTP caller (a stored answer for a repeated Idempotency-Key, the claims of a fresh token).
 */
export function operation<I extends { userId: string; now: Date }>(spec: {
  target?: (input: I) => string;
  /** The refusal when the user is gone; the caller changing their own plan by default. */
  missing?: () => Error;
  rule: Rule<I>;
}) {
  const outcome = (db: Database, input: I, caller: Caller = {}): Promise<ChangeOutcome> =>
    applyChange(
      db,
      {
        userId: input.userId,
        targetSlug: spec.target?.(input),
        now: input.now,
        missing: spec.missing ?? callerGone,
        sid: caller.sid,
        self: caller.token ?? false,
        key: caller.key,
        guard: caller.guard,
      },
      (state, draft) => spec.rule(input, withTarget(state, spec.target?.(input)), draft),
    );
  const plain = async (db: Database, input: I): Promise<Change> => {
    const result = await outcome(db, input);
    if (result.kind !== "changed") throw new Error("a change without a key has no stored answer");
    return result.change;
  };
  return Object.assign(plain, { outcome });
}

/** The target tier must exist and be offered; changes without one pass the state as it is. */
function withTarget(state: ChangeState, slug: string | undefined): Targeted {
  if (slug === undefined) return state as Targeted;
  const { target } = state;
  if (!target) throw new SubscriptionError("tier_not_found", `There is no tier "${slug}".`);
  if (!target.isActive)
    throw new SubscriptionError("tier_inactive", `The ${target.name} tier is not offered any more.`);
  return { ...state, target };
}
