import type { AppDeps } from "../../env.ts";
import { noSuchSeatUser, removeMember, seatOverviewRead } from "../../services/seats/index.ts";
import { emptyBodyIsNoBody } from "../middleware/optional-json-body.ts";
import { adminChange, adminReads } from "../middleware/require-admin.ts";
import { apiRoute, createRouter, errorResponses, jsonBody, jsonResponse } from "../openapi/router.ts";
import { presentSeats } from "../presenters/seats.ts";
import { userIdParam } from "../schemas/admin.ts";
import { adminMemberParams, adminRemoveBody, messageResponse, seatsResponse } from "../schemas/seats.ts";

const TAGS = ["admin"];

/** A user's seats as the admin sees them, and removing a member. Mounted behind requireAdmin. */
export function adminSeatRoutes(deps: AppDeps) {
  const view = apiRoute("admin", {
    method: "get",
    path: "/users/{user_id}/seats",
    tags: TAGS,
    summary: "A user's shared plan and the seat they hold, if any",
    description:
      "The user's seats, members and pending invitations, and the seat they hold on someone else's plan; 404 for an unknown user.",
    request: { params: userIdParam },
    responses: {
      200: jsonResponse(seatsResponse, "The user's shared plan (members, invitations) and the seat they hold, if any."),
      ...errorResponses(404),
    },
  });

  const remove = apiRoute("admin", {
    method: "delete",
    path: "/users/{user_id}/seats/{member_id}",
    tags: TAGS,
    summary: "Remove a member from a user's plan, with an optional reason kept in both histories",
    description:
      "The member goes back to their own tier. The body (a reason) is optional; 404 when the member holds no seat on that user's plan or the user is unknown.",
    middleware: [emptyBodyIsNoBody] as const,
    request: { params: adminMemberParams, body: jsonBody(adminRemoveBody, false) },
    responses: {
      200: jsonResponse(
        messageResponse,
        "The member's seat on the user's plan is removed, with the reason in both histories.",
      ),
      ...errorResponses(404),
    },
  });

  return createRouter()
    .openapi(view, async (c) => {
      const [overview] = await adminReads(c, [
        seatOverviewRead(c.req.valid("param").user_id, deps.clock(), noSuchSeatUser),
      ]);
      return c.json({ success: true as const, ...presentSeats(overview) }, 200);
    })
    .openapi(remove, async (c) => {
      const { user_id, member_id } = c.req.valid("param");
      const { reason } = c.req.valid("json");
      await adminChange(c, (guard) =>
        removeMember(c.var.db, {
          ownerId: user_id,
          memberId: member_id,
          now: deps.clock(),
          by: { userId: c.var.auth.userId, isAdmin: true, reason: reason || null },
          guard,
        }),
      );
      return c.json({ success: true as const, message: "The member's seat is removed." }, 200);
    });
}
