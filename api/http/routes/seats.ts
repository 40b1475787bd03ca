import type { AppDeps } from "../../env.ts";
import { logJson } from "../../lib/log-json.ts";
import { getSeatOverview, invite, removeMember, revokeInvitation } from "../../services/seats/index.ts";
import { logInvitationSender } from "../../services/seats/sender.ts";
import { seatAcceptUrl } from "../app-origin.ts";
import { requireAuth } from "../middleware/auth.ts";
import { apiRoute, createRouter, errorResponses, jsonBody, jsonResponse } from "../openapi/router.ts";
import { finiteSeats, presentInvitation, presentSeats } from "../presenters/seats.ts";
import {
  invitationIdParam,
  inviteBody,
  inviteResponse,
  memberIdParam,
  messageResponse,
  seatsResponse,
} from "../schemas/seats.ts";

const TAGS = ["seats"];

/** The owner's side of a shared plan: who holds a seat, who is invited, and changing that. */
export function seatOwnerRoutes(deps: AppDeps) {
  const send = deps.invitationSender ?? logInvitationSender(deps.log ?? logJson);

  const list = apiRoute("user", {
    method: "get",
    path: "/",
    tags: TAGS,
    summary: "The caller's shared plan: seats, members, pending invitations, and the seat they hold elsewhere",
    description:
      "Seats count the owner; null seats means unlimited. `seat` is the seat the caller holds on someone else's plan.",
    responses: { 200: jsonResponse(seatsResponse, "The plan's seats, members and pending invitations.") },
  });

  const create = apiRoute("user", {
    method: "post",
    path: "/invitations",
    tags: TAGS,
    summary: "Invite someone by email to a seat on the caller's Business or Family plan",
    description:
      "Creates a single-use link valid for 7 days and sends it. 403 when the plan has no seats to share or the caller holds a seat on someone else's plan; 409 when the email already has a seat or a pending invitation, or every seat is taken.",
    request: { body: jsonBody(inviteBody) },
    responses: {
      201: jsonResponse(inviteResponse, "The invitation and its single-use link (valid for 7 days)."),
      ...errorResponses(403, 409),
    },
  });

  const revoke = apiRoute("user", {
    method: "delete",
    path: "/invitations/{id}",
    tags: TAGS,
    summary: "Revoke a pending invitation",
    description:
      "The link stops working at once. 404 for no such invitation of the caller's; 409 when it was already used, revoked or expired.",
    request: { params: invitationIdParam },
    responses: {
      200: jsonResponse(messageResponse, "The invitation is revoked; its link no longer works."),
      ...errorResponses(404, 409),
    },
  });

  const remove = apiRoute("user", {
    method: "delete",
    path: "/{user_id}",
    tags: TAGS,
    summary: "Remove a member from the caller's plan",
    description: "The member goes back to their own tier; 404 when the user holds no seat on the caller's plan.",
    request: { params: memberIdParam },
    responses: {
      200: jsonResponse(messageResponse, "The member's seat is removed; they are back on their own tier."),
      ...errorResponses(404),
    },
  });

  // Each service read checks the caller's session itself (no statement of its own).
  const router = createRouter();
  router.use(requireAuth(deps));
  return router
    .openapi(list, async (c) => {
      const overview = await getSeatOverview(c.var.db, c.var.auth.userId, deps.clock(), c.var.auth.sid);
      return c.json({ success: true as const, ...presentSeats(overview) }, 200);
    })
    .openapi(create, async (c) => {
      const { email } = c.req.valid("json");
      const created = await invite(c.var.db, {
        ownerId: c.var.auth.userId,
        email,
        now: deps.clock(),
        sid: c.var.auth.sid,
      });
      const acceptUrl = seatAcceptUrl(deps, created.token);
      const tier = created.plan.tier;
      let emailSent = true;
      try {
        await send({
          to: created.invitation.email,
          acceptUrl,
          ownerDisplayName: created.plan.displayName,
          tierName: tier?.name ?? "",
          expiresAt: created.invitation.expiresAt,
        });
      } catch (error) {
        // The invitation stands and the owner holds the link; a failed delivery is theirs to retry by sharing it.
        emailSent = false;
        (deps.log ?? logJson)({ level: "warn", msg: "seat.invitation_not_sent", error: String(error) });
      }
      return c.json(
        {
          success: true as const,
          message: `Invitation for ${created.invitation.email} created; share the link to let them join.`,
          invitation: presentInvitation(created.invitation),
          accept_url: acceptUrl,
          email_sent: emailSent,
          seats_used: created.plan.used,
          seats_left: finiteSeats(Math.max(0, created.plan.seats - created.plan.used)),
        },
        201,
      );
    })
    .openapi(revoke, async (c) => {
      const { id } = c.req.valid("param");
      const revoked = await revokeInvitation(c.var.db, {
        ownerId: c.var.auth.userId,
        invitationId: id,
        now: deps.clock(),
        sid: c.var.auth.sid,
      });
      return c.json({ success: true as const, message: `The invitation for ${revoked.email} is revoked.` }, 200);
    })
    .openapi(remove, async (c) => {
      const { user_id } = c.req.valid("param");
      const { userId, sid } = c.var.auth;
      await removeMember(c.var.db, { ownerId: userId, memberId: user_id, now: deps.clock(), sid });
      return c.json({ success: true as const, message: "The member's seat is removed." }, 200);
    });
}
