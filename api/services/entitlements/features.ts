/**
 * How a tier's `features` JSON reads as entitlements — the one definition behind the token's `ent`
 * claim, GET /api/user/entitlements, feature gates and usage counting.
 *
 * A number is a limit, `null` an unlimited limit, a boolean a flag; anything else (a label, a
 * nested object) is display-only and not an entitlement. A limit whose key ends in `_per_day` is
 * counted in daily UTC windows under the key without that suffix (`messages_per_day` → `messages`);
 * any other limit is a running total (`documents`).
 */
export type Entitlements = Record<string, number | null | boolean>;

export interface LimitSpec {
  /** The usage counter's name, as in POST /api/usage/{feature}/consume. */
  feature: string;
  /** The features key the limit comes from. */
  key: string;
  /** null: unlimited. */
  limit: number | null;
  window: "day" | "total";
}

const PER_DAY = "_per_day";

export function entitlementsOf(features: Record<string, unknown>): Entitlements {
  const ent: Entitlements = {};
  for (const [key, value] of Object.entries(features)) {
    if (value === null || typeof value === "boolean" || (typeof value === "number" && Number.isFinite(value))) {
      ent[key] = value;
    }
  }
  return ent;
}

export function limitsOf(ent: Entitlements): LimitSpec[] {
  return Object.entries(ent)
    .filter((entry): entry is [string, number | null] => typeof entry[1] !== "boolean")
    .map(([key, limit]) =>
      key.endsWith(PER_DAY)
        ? { feature: key.slice(0, -PER_DAY.length), key, limit, window: "day" as const }
        : { feature: key, key, limit, window: "total" as const },
    );
}

/** Whether a flag is on; a limit counts as "included" when it allows anything at all. */
export function hasFeature(ent: Entitlements, key: string): boolean {
  const value = ent[key];
  if (typeof value === "boolean") return value;
  if (value === null) return key in ent;
  return typeof value === "number" && value > 0;
}
