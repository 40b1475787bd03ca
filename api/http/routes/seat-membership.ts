import { createRoute } from "@hono/zod-openapi";
import type { AppDeps } from "../../env.ts";
import { acceptInvitation, findSeat, leaveSeat, previewInvitation } from "../../services/seats/index.ts";
import { requireAuth } from "../middleware/auth.ts";
import { createRouter, errorResponses, jsonBody, jsonResponse } from "../openapi/router.ts";
import { iso } from "../presenters/presenters.ts";
import { presentHeldSeat } from "../presenters/seats.ts";
import { acceptBody, acceptResponse, invitationPreviewResponse, invitationTokenQuery, tokenResponse } from "../schemas/seats.ts";
import { issueToken } from "../session-token.ts";
import { seatCallerMustExist } from "./seat-caller.ts";

/** The invited person's side: look at an invitation (signed out too) and accept it. Mounted at /api/seats. */
export function seatInvitationRoutes(deps: AppDeps) {
  const preview = createRoute({
    method: "get",
    path: "/invitation",
    request: { query: invitationTokenQuery },
    responses: {
      200: jsonResponse(invitationPreviewResponse, "Who invited whom to which plan, and whether the link still works."),
      ...errorResponses(400, 404, 503),
    },
  });

  const accept = createRoute({
    method: "post",
    path: "/accept",
    middleware: [requireAuth(deps), seatCallerMustExist] as const,
    request: { body: jsonBody(acceptBody) },
    responses: {
      200: jsonResponse(acceptResponse, "The caller holds the seat; the token carries the shared tier."),
      ...errorResponses(400, 401, 403, 404, 409, 413, 415, 503),
    },
  });

  return createRouter()
    .openapi(preview, async (c) => {
      const found = await previewInvitation(c.var.db, c.req.valid("query").token, deps.clock());
      return c.json(
        {
          success: true as const,
          invitation: {
            email: found.email,
            status: found.state,
            expires_at: iso(found.expiresAt),
            owner_display_name: found.ownerDisplayName,
            tier_name: found.tierName,
          },
        },
        200,
      );
    })
    .openapi(accept, async (c) => {
      const { userId } = c.var.auth;
      const joined = await acceptInvitation(c.var.db, { token: c.req.valid("json").token, userId, now: deps.clock() });
      const [seat, token] = await Promise.all([findSeat(c.var.db, userId), issueToken(deps, c.var.db, userId)]);
      if (!seat) throw new Error("the seat just joined is missing");
      return c.json(
        {
          success: true as const,
          message: `You joined ${joined.ownerDisplayName}'s ${joined.tierName} plan.`,
          seat: presentHeldSeat(seat),
          token,
        },
        200,
      );
    });
}

/** A member gives their seat back. Mounted at /api/user/seat. */
export function leaveSeatRoutes(deps: AppDeps) {
  const leave = createRoute({
    method: "delete",
    path: "/",
    middleware: [requireAuth(deps), seatCallerMustExist] as const,
    responses: {
      200: jsonResponse(tokenResponse, "The seat is given back; the token carries the caller's own tier."),
      ...errorResponses(401, 404, 503),
    },
  });
  return createRouter().openapi(leave, async (c) => {
    const { userId } = c.var.auth;
    await leaveSeat(c.var.db, { memberId: userId, now: deps.clock() });
    return c.json(
      { success: true as const, message: "You left the shared plan.", token: await issueToken(deps, c.var.db, userId) },
      200,
    );
  });
}
