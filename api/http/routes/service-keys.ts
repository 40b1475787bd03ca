import { z } from "@hono/zod-openapi";
import type { AppDeps } from "../../env.ts";
import { createServiceKey, revokeServiceKey, serviceKeyList } from "../../services/usage/service-keys.ts";
import { requireAuth } from "../middleware/auth.ts";
import { adminReads, requireAdmin } from "../middleware/require-admin.ts";
import { apiRoute, createRouter, errorResponses, jsonBody, jsonResponse } from "../openapi/router.ts";
import { presentServiceKey } from "../presenters/usage-json.ts";
import { CreatedServiceKeyJson, ServiceKeyJson, serviceKeyBody, serviceKeyIdParam } from "../schemas/usage.ts";

/** Admins issue, list and revoke the keys services count usage with. */
export function serviceKeyRoutes(deps: AppDeps) {
  const router = createRouter();
  router.use(requireAuth(deps), requireAdmin());
  return router
    .openapi(
      apiRoute("admin", {
        method: "post",
        path: "/",
        tags: ["admin"],
        summary: "Create a service key; its secret is in this answer only",
        description:
          "Issues a key (tk_svc_…) with the given scopes for a service to count usage with; only its hash is kept.",
        request: { body: jsonBody(serviceKeyBody) },
        responses: {
          201: jsonResponse(CreatedServiceKeyJson, "The key (shown once) and its record."),
        },
      }),
      async (c) => {
        const { name, scopes } = c.req.valid("json");
        const created = await createServiceKey(c.var.db, {
          name,
          scopes,
          createdByUserId: c.var.auth.userId,
          now: deps.clock(),
        });
        return c.json(
          { success: true as const, key: created.key, service_key: presentServiceKey(created.record) },
          201,
        );
      },
    )
    .openapi(
      apiRoute("admin", {
        method: "get",
        path: "/",
        tags: ["admin"],
        summary: "List service keys (never their secrets)",
        description:
          "Every key with its record (name, scopes, when created and revoked), newest first; never a secret.",
        responses: {
          200: jsonResponse(
            z.object({ success: z.literal(true), service_keys: z.array(ServiceKeyJson) }),
            "Newest first, revoked ones included.",
          ),
        },
      }),
      async (c) => {
        const [keys] = await adminReads(c, [serviceKeyList]);
        return c.json({ success: true as const, service_keys: keys.map(presentServiceKey) }, 200);
      },
    )
    .openapi(
      apiRoute("admin", {
        method: "delete",
        path: "/{id}",
        tags: ["admin"],
        summary: "Revoke a service key; it stops working at once",
        description: "Marks the key revoked; any call made with it afterwards is refused with 401 invalid_service_key.",
        request: { params: serviceKeyIdParam },
        responses: {
          200: jsonResponse(z.object({ success: z.literal(true), service_key: ServiceKeyJson }), "The revoked key."),
          ...errorResponses(404),
        },
      }),
      async (c) => {
        const revoked = await revokeServiceKey(c.var.db, c.req.valid("param").id, deps.clock());
        return c.json({ success: true as const, service_key: presentServiceKey(revoked) }, 200);
      },
    );
}
