import type { Database } from "../../db/client/types.ts";
import type { Tier as TierRow } from "../../db/schema.ts";
import type { AppDeps } from "../env.ts";
import { listTiers } from "../services/subscriptions/index.ts";
import { presentTier } from "./presenters/presenters.ts";
import { Serialized } from "./presenters/serialized.ts";
import type { Tier } from "./schemas/tier-json.ts";

/** How long an isolate serves its copy of the catalog before reading the database again. */
export const TIERS_CACHE_SECONDS = 300;

export type TiersBody = { success: true; tiers: Tier[] };

export interface CatalogEntry {
  tiers: TierRow[];
  /** GET /api/tiers's body, serialized once per catalog read. */
  body: Serialized<TiersBody>;
  /** The active tiers as GET /api/tiers lists them, and each one by slug, serialized the same way. */
  list: Serialized<Tier[]>;
  bySlug: ReadonlyMap<string, Serialized<Tier>>;
  etag: string;
}

async function strongEtag(text: string): Promise<string> {
  const digest = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(text));
  const hex = Array.from(new Uint8Array(digest), (byte) => byte.toString(16).padStart(2, "0")).join("");
  return `"${hex.slice(0, 32)}"`;
}

/**
 * The active tiers, cached per app instance (per Worker isolate): on Workers every statement is a
 * round trip to Neon, and the catalog changes with a deploy-like rarity. GET /api/tiers and the
 * subscription page both read it, so a warm isolate answers them without a catalog query.
 */
export function createTierCatalog(deps: Pick<AppDeps, "clock">) {
  let cached: (CatalogEntry & { expiresAt: number }) | undefined;
  return {
    async get(db: Database): Promise<CatalogEntry> {
      const now = deps.clock().getTime();
      if (cached && cached.expiresAt > now) return cached;
      const tiers = await listTiers(db, { activeOnly: true });
      const bySlug = new Map(tiers.map((tier) => [tier.slug, Serialized.of(presentTier(tier))]));
      const list = Serialized.array([...bySlug.values()]);
      const body = Serialized.object<TiersBody>({ success: true, tiers: list });
      cached = {
        tiers,
        body,
        list,
        bySlug,
        etag: await strongEtag(body.text),
        expiresAt: now + TIERS_CACHE_SECONDS * 1000,
      };
      return cached;
    },
  };
}

export type TierCatalog = ReturnType<typeof createTierCatalog>;
