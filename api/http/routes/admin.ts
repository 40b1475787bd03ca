import type { AppDeps } from "../../env.ts";
import { requireAuth } from "../middleware/auth.ts";
import { requireAdmin } from "../middleware/require-admin.ts";
import { createRouter } from "../openapi/router.ts";
import { adminSeatRoutes } from "./admin-seats.ts";
import { adminSubscriptionRoutes } from "./admin-subscriptions.ts";
import { adminUserRoutes } from "./admin-users.ts";

/** Everything under /api/admin: a valid token whose user is an admin in the database right now. */
export function adminRoutes(deps: AppDeps) {
  const router = createRouter();
  router.use(requireAuth(deps));
  // These changes read with the rights check in their own first statement: a round trip fewer.
  router.use("/subscriptions/:user_id/assign-tier", requireAdmin({ checkedByHandler: true }));
  router.on("DELETE", "/users/:user_id/seats/:member_id", requireAdmin({ checkedByHandler: true }));
  router.use(requireAdmin());
  return router
    .route("/", adminSubscriptionRoutes(deps))
    .route("/", adminUserRoutes())
    .route("/", adminSeatRoutes(deps));
}
