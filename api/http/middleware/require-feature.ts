import { createMiddleware } from "hono/factory";
import type { AppEnv } from "../../env.ts";
import { currentEntitlements } from "../../services/entitlements/current.ts";
import { hasFeature } from "../../services/entitlements/features.ts";
import { callerGone } from "../../services/service-error.ts";
import { ApiError } from "../errors/api-error.ts";

/**
 * The caller's current tier (not the token's snapshot) must include `key` in its features: a flag
 * that is on, or a limit that allows anything. Use after requireAuth.
 */
export function requireFeature(key: string) {
  return createMiddleware<AppEnv>(async (c, next) => {
    const current = await currentEntitlements(c.var.db, c.var.auth.userId, { sid: c.var.auth.sid });
    if (!current) throw callerGone();
    if (!hasFeature(current.ent, key)) {
      throw new ApiError(
        403,
        "feature_required",
        `Your ${current.tierSlug} plan does not include ${key}; upgrade to a plan that does.`,
      );
    }
    await next();
  });
}
