/**
 * The tier catalog's levels (slug → level) from tierkit's GET /api/tiers, cached like the keys: kept
 * for `maxAgeMs`, fetched again sooner only for a slug it does not know, at most once per cooldown.
 */
export interface TierLevels {
  levelOf(slug: string): Promise<number | undefined>;
}

export class TiersUnavailableError extends Error {
  constructor(cause: unknown) {
    super("tierkit's tier catalog could not be fetched.", { cause });
    this.name = "TiersUnavailableError";
  }
}

interface TiersBody {
  tiers: { slug: string; tier_level: number }[];
}

const isTiersBody = (body: unknown): body is TiersBody =>
  typeof body === "object" &&
  body !== null &&
  Array.isArray((body as TiersBody).tiers) &&
  (body as TiersBody).tiers.every((tier) => typeof tier?.slug === "string" && Number.isInteger(tier?.tier_level));

export function createTierLevels(options: {
  url: URL;
  fetch: typeof fetch;
  maxAgeMs: number;
  cooldownMs: number;
  clock: () => Date;
}): TierLevels {
  let levels: Map<string, number> | undefined;
  let fetchedAt = 0;
  let pending: Promise<Map<string, number>> | undefined;

  const load = () => {
    pending ??= (async () => {
      try {
        const response = await options.fetch(options.url.toString(), { headers: { Accept: "application/json" } });
        const body: unknown = response.ok ? await response.json() : undefined;
        if (!isTiersBody(body)) throw new Error(`GET ${options.url} answered ${response.status} without a tier list`);
        levels = new Map(body.tiers.map((tier) => [tier.slug, tier.tier_level]));
        fetchedAt = options.clock().getTime();
        return levels;
      } catch (error) {
        throw new TiersUnavailableError(error);
      } finally {
        pending = undefined;
      }
    })();
    return pending;
  };

  return {
    async levelOf(slug) {
      const age = options.clock().getTime() - fetchedAt;
      if (!levels || age >= options.maxAgeMs) return (await load()).get(slug);
      if (!levels.has(slug) && age >= options.cooldownMs) return (await load()).get(slug);
      return levels.get(slug);
    },
  };
}
