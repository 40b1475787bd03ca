import { createRoute } from "@hono/zod-openapi";
import type { AppDeps } from "../../env.ts";
import { getSeatOverview, removeMember } from "../../services/seats/index.ts";
import { optionalJsonBody } from "../middleware/optional-json-body.ts";
import { createRouter, errorResponses, jsonBody, jsonResponse } from "../openapi/router.ts";
import { presentSeats } from "../presenters/seats.ts";
import { userIdParam } from "../schemas/admin.ts";
import { adminMemberParams, adminRemoveBody, messageResponse, seatsResponse } from "../schemas/seats.ts";

/** A user's seats as the admin sees them, and removing a member. Mounted behind requireAdmin. */
export function adminSeatRoutes(deps: AppDeps) {
  const view = createRoute({
    method: "get",
    path: "/users/{user_id}/seats",
    request: { params: userIdParam },
    responses: {
      200: jsonResponse(seatsResponse, "The user's shared plan (members, invitations) and the seat they hold, if any."),
      ...errorResponses(400, 401, 403, 404, 503),
    },
  });

  const remove = createRoute({
    method: "delete",
    path: "/users/{user_id}/seats/{member_id}",
    middleware: [optionalJsonBody] as const,
    request: { params: adminMemberParams, body: jsonBody(adminRemoveBody, false) },
    responses: {
      200: jsonResponse(messageResponse, "The member's seat on the user's plan is removed, with the reason in both histories."),
      ...errorResponses(400, 401, 403, 404, 413, 415, 503),
    },
  });

  return createRouter()
    .openapi(view, async (c) => {
      const overview = await getSeatOverview(c.var.db, c.req.valid("param").user_id, deps.clock());
      return c.json({ success: true as const, ...presentSeats(overview) }, 200);
    })
    .openapi(remove, async (c) => {
      const { user_id, member_id } = c.req.valid("param");
      const { reason } = c.req.valid("json");
      await removeMember(c.var.db, {
        ownerId: user_id,
        memberId: member_id,
        now: deps.clock(),
        by: { userId: c.var.auth.userId, isAdmin: true, reason: reason || null },
      });
      return c.json({ success: true as const, message: "The member's seat is removed." }, 200);
    });
}
