import { createRoute, z } from "@hono/zod-openapi";
import type { AppDeps } from "../../env.ts";
import { createServiceKey, listServiceKeys, revokeServiceKey } from "../../services/usage/service-keys.ts";
import { requireAuth } from "../middleware/auth.ts";
import { requireAdmin } from "../middleware/require-admin.ts";
import { createRouter, errorResponses, jsonBody, jsonResponse } from "../openapi/router.ts";
import { presentServiceKey } from "../presenters/usage-json.ts";
import { CreatedServiceKeyJson, ServiceKeyJson, serviceKeyBody, serviceKeyIdParam } from "../schemas/usage.ts";

const security = [{ bearerAuth: [] }];

/** Admins issue, list and revoke the keys services count usage with. */
export function serviceKeyRoutes(deps: AppDeps) {
  const middleware = [requireAuth(deps), requireAdmin()];
  return createRouter()
    .openapi(
      createRoute({
        method: "post",
        path: "/",
        tags: ["admin"],
        summary: "Create a service key; its secret is in this answer only",
        security,
        middleware,
        request: { body: jsonBody(serviceKeyBody) },
        responses: {
          201: jsonResponse(CreatedServiceKeyJson, "The key (shown once) and its record."),
          ...errorResponses(400, 401, 403, 413, 415, 503),
        },
      }),
      async (c) => {
        const { name, scopes } = c.req.valid("json");
        const created = await createServiceKey(c.var.db, { name, scopes, createdByUserId: c.var.auth.userId, now: deps.clock() });
        return c.json({ success: true as const, key: created.key, service_key: presentServiceKey(created.record) }, 201);
      },
    )
    .openapi(
      createRoute({
        method: "get",
        path: "/",
        tags: ["admin"],
        summary: "List service keys (never their secrets)",
        security,
        middleware,
        responses: {
          200: jsonResponse(z.object({ success: z.literal(true), service_keys: z.array(ServiceKeyJson) }), "Newest first, revoked ones included."),
          ...errorResponses(401, 403, 503),
        },
      }),
      async (c) => c.json({ success: true as const, service_keys: (await listServiceKeys(c.var.db)).map(presentServiceKey) }, 200),
    )
    .openapi(
      createRoute({
        method: "delete",
        path: "/{id}",
        tags: ["admin"],
        summary: "Revoke a service key; it stops working at once",
        security,
        middleware,
        request: { params: serviceKeyIdParam },
        responses: {
          200: jsonResponse(z.object({ success: z.literal(true), service_key: ServiceKeyJson }), "The revoked key."),
          ...errorResponses(400, 401, 403, 404, 503),
        },
      }),
      async (c) => {
        const revoked = await revokeServiceKey(c.var.db, c.req.valid("param").id, deps.clock());
        return c.json({ success: true as const, service_key: presentServiceKey(revoked) }, 200);
      },
    );
}
