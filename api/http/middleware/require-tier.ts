import { createMiddleware } from "hono/factory";
import type { AppEnv } from "../../env.ts";
import { callerGone } from "../../services/service-error.ts";
import { checkTierLevel } from "../../services/tier-access.ts";
import { ApiError } from "../errors/api-error.ts";

/** The caller's current subscription (not the token's snapshot) must be at `level` or above. Use after requireAuth. */
export function requireTier(level: number) {
  return createMiddleware<AppEnv>(async (c, next) => {
    const access = await checkTierLevel(c.var.db, c.var.auth.userId, level, c.var.auth.sid);
    // get_user_tier() has a tier for every user who exists, so none means the user or the session is gone.
    if (access.currentTier === null) throw callerGone();
    if (!access.allowed) {
      throw new ApiError(
        403,
        "tier_required",
        `This feature needs the ${access.requiredTier ?? `level ${level}`} tier or higher; you are on ${access.currentTier}.`,
      );
    }
    await next();
  });
}
