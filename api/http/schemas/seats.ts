// Requests and answers of the seat endpoints (api/http/routes/seats.ts, seat-membership.ts, admin-seats.ts).
import { z } from "zod";
import { optionalReason } from "./subscription.ts";
import { userText } from "./text.ts";

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

const instant = z.iso.datetime();

export const seatMemberJson = z.object({
  user_id: z.uuid(),
  email: z.string(),
  display_name: z.string(),
  joined_at: instant,
});

export const invitationJson = z.object({
  id: z.uuid(),
  email: z.string(),
  created_at: instant,
  expires_at: instant,
});

export const heldSeatJson = z.object({
  owner_id: z.uuid(),
  owner_display_name: z.string(),
  owner_email: z.string(),
  tier_slug: z.string(),
  tier_name: z.string(),
  joined_at: instant,
});

export const seatsJson = z.object({
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

export const seatsResponse = z.object({ success: z.literal(true) }).extend(seatsJson.shape);

export const inviteResponse = z.object({
  success: z.literal(true),
  message: z.string(),
  invitation: invitationJson,
  accept_url: z.url(),
  email_sent: z.boolean(),
  seats_used: z.number().int(),
  seats_left: z.number().int().nullable(),
});

export const messageResponse = z.object({ success: z.literal(true), message: z.string() });

export const tokenResponse = messageResponse.extend({ token: z.string() });

export const acceptResponse = tokenResponse.extend({ seat: heldSeatJson });

export const invitationPreviewResponse = z.object({
  success: z.literal(true),
  invitation: z.object({
    email: z.string(),
    status: z.enum(["pending", "accepted", "revoked", "expired"]),
    expires_at: instant,
    owner_display_name: z.string(),
    tier_name: z.string().nullable(),
  }),
});
