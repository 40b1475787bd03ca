import { createMiddleware } from "hono/factory";
import { hasFeature } from "../../api/services/entitlements/features.ts";
import { refuse } from "../errors.ts";

/**
 * The token's `ent` claim must include `key`: a flag that is on, or a limit that allows anything
 * (the same reading the API's own gates use). Use after tierkit().
 */
export function requireFeature(key: string) {
  if (typeof key !== "string" || key.trim() === "")
    throw new TypeError('requireFeature(): the argument must be a feature key such as "api_access".');
  return createMiddleware(async (c, next) => {
    const claims = c.get("tierkit");
    if (!claims) throw new Error("requireFeature() must run after the tierkit() middleware.");
    if (!hasFeature(claims.ent, key)) {
      return refuse(c, 403, "feature_required", `Your ${claims.tier_slug} plan does not include ${key}.`);
    }
    await next();
  });
}
