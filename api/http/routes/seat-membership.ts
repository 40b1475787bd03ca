import type { AppDeps } from "../../env.ts";
import { acceptInvitation, leaveSeat, previewInvitation } from "../../services/seats/index.ts";
import { callerGone } from "../../services/service-error.ts";
import { requireAuth } from "../middleware/auth.ts";
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
import { signClaims } from "../session-token.ts";

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
    middleware: [requireAuth(deps)] as const,
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
      const { userId, sid } = c.var.auth;
      const { token: invitationToken } = c.req.valid("json");
      const joined = await acceptInvitation(c.var.db, { token: invitationToken, userId, now: deps.clock(), sid });
      // The claims were read in the change's batch, after its writes: the token carries the seat.
      if (!joined.claims) throw callerGone();
      const token = await signClaims(deps, joined.claims, sid);
      return c.json(
        {
          success: true as const,
          message: `You joined ${joined.ownerDisplayName}'s ${joined.tierName} plan.`,
          seat: presentHeldSeat(joined.seat),
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
  // The service's read checks the caller's session, and its batch reads the claims after the writes.
  const router = createRouter();
  router.use(requireAuth(deps));
  return router.openapi(leave, async (c) => {
    const { userId, sid } = c.var.auth;
    const { claims } = await leaveSeat(c.var.db, { memberId: userId, now: deps.clock(), sid });
    if (!claims) throw callerGone();
    return c.json(
      { success: true as const, message: "You left the shared plan.", token: await signClaims(deps, claims, sid) },
      200,
    );
  });
}
