import type { AppDeps } from "../../env.ts";
import { acceptInvitation, findSeat, leaveSeat, previewInvitation } from "../../services/seats/index.ts";
import { requireAuth, requireLiveSession } from "../middleware/auth.ts";
import { apiRoute, createRouter, errorResponses, jsonBody, jsonResponse } from "../openapi/router.ts";
import { iso } from "../presenters/presenters.ts";
import { presentHeldSeat } from "../presenters/seats.ts";
import {
  acceptBody,
  acceptResponse,
  invitationPreviewResponse,
  invitationTokenQuery,
  tokenResponse,
} from "../schemas/seats.ts";
import { issueToken } from "../session-token.ts";

const TAGS = ["seats"];

/** The invited person's side: look at an invitation (signed out too) and accept it. Mounted at /api/seats. */
export function seatInvitationRoutes(deps: AppDeps) {
  const preview = apiRoute("public", {
    method: "get",
    path: "/invitation",
    tags: TAGS,
    summary: "What an invitation link offers, for the accept page (no sign-in needed)",
    description:
      "The invited email, the owner's name, the tier and whether the link still works; 404 when the token names no invitation.",
    request: { query: invitationTokenQuery },
    responses: {
      200: jsonResponse(invitationPreviewResponse, "Who invited whom to which plan, and whether the link still works."),
      ...errorResponses(404),
    },
  });

  const accept = apiRoute("user", {
    method: "post",
    path: "/accept",
    tags: TAGS,
    summary: "Accept an invitation, signed in with the invited email",
    description:
      "The caller takes the seat; the answer's token carries the shared tier. 403 when the invitation is for another email; 404 when the token names no invitation; 409 when it expired, was revoked or used, the caller already holds or shares seats, or no seat is left.",
    middleware: [requireAuth(deps), requireLiveSession] as const,
    request: { body: jsonBody(acceptBody) },
    responses: {
      200: jsonResponse(acceptResponse, "The caller holds the seat; the token carries the shared tier."),
      ...errorResponses(403, 404, 409),
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
      const [seat, token] = await Promise.all([
        findSeat(c.var.db, userId),
        issueToken(deps, c.var.db, userId, c.var.auth.sid),
      ]);
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
  const leave = apiRoute("user", {
    method: "delete",
    path: "/",
    tags: TAGS,
    summary: "Leave the shared plan the caller holds a seat on",
    description:
      "The caller goes back to their own tier; the answer's token carries it. 404 when the caller holds no seat.",
    responses: {
      200: jsonResponse(tokenResponse, "The seat is given back; the token carries the caller's own tier."),
      ...errorResponses(404),
    },
  });
  const router = createRouter();
  router.use(requireAuth(deps), requireLiveSession);
  return router.openapi(leave, async (c) => {
    const { userId } = c.var.auth;
    await leaveSeat(c.var.db, { memberId: userId, now: deps.clock() });
    return c.json(
      {
        success: true as const,
        message: "You left the shared plan.",
        token: await issueToken(deps, c.var.db, userId, c.var.auth.sid),
      },
      200,
    );
  });
}
