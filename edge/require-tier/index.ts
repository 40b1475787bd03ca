import { createMiddleware } from "hono/factory";
import { refuse } from "../errors.ts";
import { TiersUnavailableError } from "./tier-levels.ts";

/**
 * The token's tier must be at `slug`'s level or above (so requireTier("pro") admits business,
 * elite, family and any tier added above them). Levels come from tierkit's catalog. Use after tierkit().
 */
export function requireTier(slug: string) {
  if (typeof slug !== "string" || !/^[a-z0-9][a-z0-9_-]*$/.test(slug)) {
    throw new TypeError('requireTier(): the argument must be a tier slug such as "pro".');
  }
  return createMiddleware(async (c, next) => {
    const claims = c.get("tierkit");
    const tiers = c.get("tierkitTiers");
    if (!claims || !tiers) throw new Error("requireTier() must run after the tierkit() middleware.");
    let required: number | undefined;
    try {
      required = await tiers.levelOf(slug);
    } catch (error) {
      if (!(error instanceof TiersUnavailableError)) throw error;
      return refuse(c, 503, "tiers_unavailable", "tierkit's tier catalog could not be fetched; retry shortly.", {
        "Retry-After": "5",
      });
    }
    // A slug the catalog does not know admits nobody: failing closed beats guessing a level.
    if (required === undefined || claims.tier_level < required) {
      return refuse(
        c,
        403,
        "tier_required",
        `This feature needs the ${slug} tier or higher; your plan is ${claims.tier_slug}.`,
      );
    }
    await next();
  });
}
