// Requests and answers of the seat endpoints (api/http/routes/seats.ts, seat-membership.ts, admin-seats.ts).
import { z } from "@hono/zod-openapi";
import { optionalReason } from "./subscription.ts";
import { userText } from "./text.ts";
import { isoTime, SubscriptionShape } from "./tier-json.ts";

export const inviteBody = z.strictObject({
  email: userText(254).pipe(z.email("Enter a valid email address.")),
});

// Tokens are 43 base64url characters; the bound keeps junk away from the hash and the query.
const invitationToken = z
  .string()
  .min(1)
  .max(128)
  .regex(/^[A-Za-z0-9_-]+$/, "Must be the token from an invitation link.");

export const acceptBody = z.strictObject({ token: invitationToken });
export const invitationTokenQuery = z.object({ token: invitationToken });
export const invitationIdParam = z.object({ id: z.uuid() });
export const memberIdParam = z.object({ user_id: z.uuid() });
export const adminMemberParams = z.object({ user_id: z.uuid(), member_id: z.uuid() });
export const adminRemoveBody = z.strictObject({ reason: optionalReason });

export const seatMemberJson = z
  .strictObject({
    user_id: z.uuid(),
    email: z.string(),
    display_name: z.string(),
    joined_at: isoTime,
  })
  .openapi("SeatMember");

export const invitationJson = z
  .strictObject({
    id: z.uuid(),
    email: z.string(),
    created_at: isoTime,
    expires_at: isoTime,
  })
  .openapi("SeatInvitation");

export const heldSeatJson = z
  .strictObject({
    owner_id: z.uuid(),
    owner_display_name: z.string(),
    owner_email: z.string(),
    tier_slug: z.string(),
    tier_name: z.string(),
    joined_at: isoTime,
  })
  .openapi("HeldSeat");

export const seatsJson = z.strictObject({
  /** The plan's tier while it gives access. */
  tier_slug: z.string().nullable(),
  /** Seats of the plan, the owner's included; null means unlimited. */
  seats: z.number().int().nullable(),
  seats_used: z.number().int(),
  seats_left: z.number().int().nullable(),
  members: z.array(seatMemberJson),
  invitations: z.array(invitationJson),
  /** The seat this user holds on someone else's plan. */
  seat: heldSeatJson.nullable(),
});

export const seatsResponse = z.strictObject({ success: z.literal(true), ...seatsJson.shape }).openapi("Seats");

export const inviteResponse = z.strictObject({
  success: z.literal(true),
  message: z.string(),
  invitation: invitationJson,
  accept_url: z.url(),
  email_sent: z.boolean(),
  seats_used: z.number().int(),
  seats_left: z.number().int().nullable(),
});

export const messageResponse = z.strictObject({ success: z.literal(true), message: z.string() });

export const tokenResponse = z.strictObject({ ...messageResponse.shape, token: z.string() });

export const acceptResponse = z.strictObject({ ...tokenResponse.shape, seat: heldSeatJson });

export const invitationPreviewJson = z
  .strictObject({
    email: z.string(),
    status: z.enum(["pending", "accepted", "revoked", "expired"]),
    expires_at: isoTime,
    owner_display_name: z.string(),
    tier_name: z.string().nullable(),
  })
  .openapi("InvitationPreview");

export const invitationPreviewResponse = z.strictObject({
  success: z.literal(true),
  invitation: invitationPreviewJson,
});

/**
 * GET /api/user/subscription: the tier is the effective one (a seat's when that is higher, with
 * `via: "seat"` and the owner's name); billing fields stay the caller's own subscription's.
 */
export const EffectiveSubscriptionJson = z
  .strictObject({
    ...SubscriptionShape,
    via: z.enum(["own", "seat"]),
    seat_owner: z.string().nullable(),
  })
  .openapi("EffectiveSubscription");

export type Seats = z.output<typeof seatsJson>;
export type InvitationPreview = z.output<typeof invitationPreviewJson>;
export type EffectiveSubscription = z.output<typeof EffectiveSubscriptionJson>;
