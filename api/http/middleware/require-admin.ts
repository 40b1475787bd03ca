import { createMiddleware } from "hono/factory";
import type { AppEnv } from "../../env.ts";
import { callerGone } from "../../services/service-error.ts";
import { findUserRights } from "../../services/users.ts";
import { ApiError } from "../errors/api-error.ts";

/**
 * Admin rights as the database holds them on this request, so revoking is_admin takes effect at
 * once even for tokens that still say is_admin; an ended session is refused in the same read. Use
 * after requireAuth.
 */
export function requireAdmin() {
  return createMiddleware<AppEnv>(async (c, next) => {
    const rights = await findUserRights(c.var.db, c.var.auth.userId, c.var.auth.sid);
    if (!rights) throw callerGone();
    if (!rights.isAdmin) throw new ApiError(403, "forbidden", "Administrator rights are required.");
    await next();
  });
}
