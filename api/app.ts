import { cors } from "hono/cors";
import type { AppDeps } from "./env.ts";
import { errorHandler, notFoundHandler } from "./http/errors/error-handler.ts";
import { bodyChecks } from "./http/middleware/body-limit.ts";
import { database } from "./http/middleware/database.ts";
import { normalizeThrown } from "./http/middleware/normalize-thrown.ts";
import { requestLog } from "./http/middleware/request-log.ts";
import { responseHeaders } from "./http/middleware/response-headers.ts";
import { describeApi } from "./http/openapi/document.ts";
import { createRouter } from "./http/openapi/router.ts";
import { adminRoutes } from "./http/routes/admin.ts";
import { authRoutes } from "./http/routes/auth.ts";
import { entitlementRoutes } from "./http/routes/entitlements.ts";
import { featureRoutes } from "./http/routes/features.ts";
import { jwksRoutes } from "./http/routes/jwks.ts";
import { openapiRoutes } from "./http/routes/openapi.ts";
import { paymentRoutes } from "./http/routes/payments.ts";
import { profileRoutes } from "./http/routes/profile.ts";
import { leaveSeatRoutes, seatInvitationRoutes } from "./http/routes/seat-membership.ts";
import { seatOwnerRoutes } from "./http/routes/seats.ts";
import { serviceKeyRoutes } from "./http/routes/service-keys.ts";
import { sessionRoutes } from "./http/routes/session.ts";
import { stripeWebhookRoutes } from "./http/routes/stripe-webhook.ts";
import { subscriptionRoutes } from "./http/routes/subscription.ts";
import { tiersRoutes } from "./http/routes/tiers.ts";
import { usageRoutes } from "./http/routes/usage.ts";
import { createTierCatalog } from "./http/tier-catalog.ts";
import { logJson } from "./lib/log-json.ts";

export const MAX_BODY_BYTES = 64 * 1024;

/** The whole API from its dependencies; the Workers entry, the Node entry and tests all build it here. */
export function createApp(deps: AppDeps) {
  const log = deps.log ?? logJson;
  const app = createRouter();
  const catalog = createTierCatalog(deps);

  app.use(responseHeaders());
  if (deps.logRequests ?? true) app.use(requestLog(log));
  app.use(normalizeThrown());
  if (deps.corsOrigins?.length) {
    app.use(
      cors({
        origin: deps.corsOrigins,
        allowMethods: ["GET", "POST", "PATCH", "PUT", "DELETE", "OPTIONS"],
        allowHeaders: ["Authorization", "Content-Type", "Idempotency-Key", "X-Request-Id"],
        exposeHeaders: ["X-Request-Id", "Retry-After", "ETag", "Idempotent-Replayed"],
        maxAge: 600,
      }),
    );
  }
  app.use(bodyChecks(MAX_BODY_BYTES));
  app.use(database(deps.database));
  app.onError(errorHandler(log));
  app.notFound(notFoundHandler);

  // The document is generated on first request, when every route below is mounted.
  const document = describeApi(app);
  return app
    .route("/api/auth", authRoutes(deps))
    .route("/api/auth", sessionRoutes(deps))
    .route("/.well-known", jwksRoutes(deps))
    .route("/api/user/profile", profileRoutes(deps))
    .route("/api/user/subscription", subscriptionRoutes(deps, catalog))
    .route("/api/user", paymentRoutes(deps))
    .route("/api/webhooks", stripeWebhookRoutes(deps))
    .route("/api/user/seats", seatOwnerRoutes(deps))
    .route("/api/user/seat", leaveSeatRoutes(deps))
    .route("/api/seats", seatInvitationRoutes(deps))
    .route("/api/tiers", tiersRoutes(catalog))
    .route("/api/features", featureRoutes(deps))
    .route("/api/user/entitlements", entitlementRoutes(deps))
    .route("/api/usage", usageRoutes(deps, catalog))
    .route("/api/admin/service-keys", serviceKeyRoutes(deps))
    .route("/api/admin", adminRoutes(deps))
    .route("/api", openapiRoutes(document));
}

export type AppType = ReturnType<typeof createApp>;
