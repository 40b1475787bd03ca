// Every endpoint of the API with the zod schemas that validate its input; the OpenAPI document and
// the /api/docs page are generated from this table, and a test checks it against the app's routes.
import type { z } from "zod";
import { loginBody, profilePatch, signupBody } from "../schemas/account.ts";
import { assignTierBody, listSubscriptionsQuery, listUsersQuery, userIdParam } from "../schemas/admin.ts";
import {
  acceptBody,
  adminMemberParams,
  adminRemoveBody,
  invitationIdParam,
  invitationTokenQuery,
  inviteBody,
  memberIdParam,
} from "../schemas/seats.ts";
import { cancelBody, downgradeBody, upgradeBody } from "../schemas/subscription.ts";

export type Access = "public" | "user" | "admin";

export interface RouteDoc {
  method: "get" | "post" | "patch" | "delete";
  /** OpenAPI path template: {user_id}, not :user_id. */
  path: string;
  tag: string;
  summary: string;
  access: Access;
  params?: z.ZodObject;
  query?: z.ZodObject;
  body?: z.ZodType;
  /** The body may be left out entirely. */
  bodyOptional?: boolean;
  /** Accepts an Idempotency-Key header. */
  idempotent?: boolean;
  status?: 200 | 201;
  response: string;
  /** Refusals besides 400 (validation), 401 and 403 that the access level already implies. */
  errors?: Partial<Record<403 | 404 | 409 | 415 | 422 | 429, string>>;
  produces?: "application/json" | "text/html";
}

const changeErrors = {
  404: "Unknown tier.",
  409: "The change does not apply to the current subscription, or the Idempotency-Key is in use.",
  422: "The Idempotency-Key was used with a different request.",
} as const;

export const ROUTES: RouteDoc[] = [
  {
    method: "post",
    path: "/api/auth/signup",
    tag: "auth",
    access: "public",
    status: 201,
    body: signupBody,
    summary: "Create an account on the member tier",
    response: "The new user and a token carrying tier_slug, tier_level and subscription_status.",
    errors: { 409: "An account with this email exists.", 429: "Too many attempts." },
  },
  {
    method: "post",
    path: "/api/auth/login",
    tag: "auth",
    access: "public",
    body: loginBody,
    summary: "Sign in",
    response: "The user and a fresh token.",
    errors: { 429: "Too many attempts." },
  },
  {
    method: "get",
    path: "/api/user/profile",
    tag: "profile",
    access: "user",
    summary: "The caller's profile with their current tier",
    response: "{ success, user }.",
  },
  {
    method: "patch",
    path: "/api/user/profile",
    tag: "profile",
    access: "user",
    body: profilePatch,
    summary: "Update profile fields",
    response: "{ success, user, token }.",
  },
  {
    method: "get",
    path: "/api/tiers",
    tag: "tiers",
    access: "public",
    summary: "Active tiers with pricing and features",
    response: "{ success, tiers } (ETag; 304 on If-None-Match).",
  },
  {
    method: "get",
    path: "/api/features/priority-support",
    tag: "features",
    access: "user",
    summary: "A feature that needs the Business tier or higher",
    response: "{ success, feature, message }.",
  },
  {
    method: "get",
    path: "/api/user/subscription",
    tag: "subscription",
    access: "user",
    summary: "The caller's subscription, the tiers on offer and the possible upgrades",
    response: "{ success, subscription, available_tiers, available_upgrades, can_upgrade }.",
  },
  {
    method: "post",
    path: "/api/user/subscription/upgrade",
    tag: "subscription",
    access: "user",
    body: upgradeBody,
    idempotent: true,
    summary: "Upgrade now (a higher tier, or monthly to annual)",
    response:
      "{ success, message, upgrade: { subscription_id, old_tier, new_tier, effective_immediately, next_billing }, token }.",
    errors: changeErrors,
  },
  {
    method: "post",
    path: "/api/user/subscription/downgrade",
    tag: "subscription",
    access: "user",
    body: downgradeBody,
    idempotent: true,
    summary: "Schedule a downgrade for the end of the billing period",
    response:
      "{ success, message, downgrade: { subscription_id, old_tier, new_tier, effective_date, remains_active_until }, token }.",
    errors: changeErrors,
  },
  {
    method: "delete",
    path: "/api/user/subscription/downgrade",
    tag: "subscription",
    access: "user",
    idempotent: true,
    summary: "Undo a scheduled downgrade",
    response: "{ success, message, subscription, token }.",
    errors: changeErrors,
  },
  {
    method: "delete",
    path: "/api/user/subscription/cancel",
    tag: "subscription",
    access: "user",
    body: cancelBody,
    bodyOptional: true,
    idempotent: true,
    summary: "Cancel at the end of the billing period (then back to member)",
    response: "{ success, message, cancellation: { cancelled, remains_active_until, reverts_to_tier }, token }.",
    errors: changeErrors,
  },
  {
    method: "post",
    path: "/api/user/subscription/resume",
    tag: "subscription",
    access: "user",
    idempotent: true,
    summary: "Take back a pending cancellation",
    response: "{ success, message, subscription, token }.",
    errors: changeErrors,
  },
  {
    method: "get",
    path: "/api/admin/subscriptions",
    tag: "admin",
    access: "admin",
    query: listSubscriptionsQuery,
    summary: "All subscriptions, newest first, filtered by tier and status",
    response: "{ success, data: [subscription rows], total, page, limit }.",
  },
  {
    method: "post",
    path: "/api/admin/subscriptions/{user_id}/assign-tier",
    tag: "admin",
    access: "admin",
    params: userIdParam,
    body: assignTierBody,
    idempotent: true,
    summary: "Assign a tier at once, bypassing payment (reason kept in the history)",
    response: "{ success, message, subscription: { id, user_id, tier_slug, status } }.",
    errors: { ...changeErrors, 404: "Unknown user or tier." },
  },
  {
    method: "get",
    path: "/api/admin/subscription-stats",
    tag: "admin",
    access: "admin",
    summary: "Counts of current subscriptions by tier and billing cycle",
    response: "{ success, stats: { total_subscriptions, active_subscriptions, by_tier, by_billing_cycle } }.",
  },
  {
    method: "get",
    path: "/api/admin/subscriptions/{user_id}/history",
    tag: "admin",
    access: "admin",
    params: userIdParam,
    summary: "A user's subscription history, newest first",
    response: "{ success, history }.",
    errors: { 404: "Unknown user." },
  },
  {
    method: "get",
    path: "/api/admin/users",
    tag: "admin",
    access: "admin",
    query: listUsersQuery,
    summary: "Users with their current tier, filtered by tier and email",
    response: "{ success, data: [user rows], total, page, limit }.",
  },
  {
    method: "get",
    path: "/api/admin/users/{user_id}",
    tag: "admin",
    access: "admin",
    params: userIdParam,
    summary: "One user with their current subscription",
    response: "{ success, user, subscription }.",
    errors: { 404: "Unknown user." },
  },
  {
    method: "get",
    path: "/api/user/seats",
    tag: "seats",
    access: "user",
    summary: "The caller's shared plan: seats, members, pending invitations, and the seat they hold elsewhere",
    response: "{ success, tier_slug, seats, seats_used, seats_left, members, invitations, seat }.",
  },
  {
    method: "post",
    path: "/api/user/seats/invitations",
    tag: "seats",
    access: "user",
    status: 201,
    body: inviteBody,
    summary: "Invite someone by email to a seat on the caller's Business or Family plan",
    response: "{ success, invitation, accept_url, email_sent, seats_used, seats_left }; the link is single-use and valid for 7 days.",
    errors: {
      403: "The caller's plan has no seats to share, or the caller holds a seat on someone else's plan.",
      409: "The email already has a seat or a pending invitation, or every seat is taken.",
    },
  },
  {
    method: "delete",
    path: "/api/user/seats/invitations/{id}",
    tag: "seats",
    access: "user",
    params: invitationIdParam,
    summary: "Revoke a pending invitation",
    response: "{ success, message }.",
    errors: { 404: "No such invitation of the caller's.", 409: "The invitation was already used, revoked or expired." },
  },
  {
    method: "delete",
    path: "/api/user/seats/{user_id}",
    tag: "seats",
    access: "user",
    params: memberIdParam,
    summary: "Remove a member from the caller's plan",
    response: "{ success, message }.",
    errors: { 404: "The user holds no seat on the caller's plan." },
  },
  {
    method: "delete",
    path: "/api/user/seat",
    tag: "seats",
    access: "user",
    summary: "Leave the shared plan the caller holds a seat on",
    response: "{ success, message, token } with the caller's own tier.",
    errors: { 404: "The caller holds no seat." },
  },
  {
    method: "get",
    path: "/api/seats/invitation",
    tag: "seats",
    access: "public",
    query: invitationTokenQuery,
    summary: "What an invitation link offers, for the accept page (no sign-in needed)",
    response: "{ success, invitation: { email, status, expires_at, owner_display_name, tier_name } }.",
    errors: { 404: "The token names no invitation." },
  },
  {
    method: "post",
    path: "/api/seats/accept",
    tag: "seats",
    access: "user",
    body: acceptBody,
    summary: "Accept an invitation, signed in with the invited email",
    response: "{ success, message, seat, token } with the shared tier.",
    errors: {
      403: "The invitation is for another email.",
      404: "The token names no invitation.",
      409: "The invitation expired, was revoked or used; the caller already holds or shares seats; or no seat is left.",
    },
  },
  {
    method: "get",
    path: "/api/admin/users/{user_id}/seats",
    tag: "admin",
    access: "admin",
    params: userIdParam,
    summary: "A user's shared plan and the seat they hold, if any",
    response: "{ success, tier_slug, seats, seats_used, seats_left, members, invitations, seat }.",
    errors: { 404: "Unknown user." },
  },
  {
    method: "delete",
    path: "/api/admin/users/{user_id}/seats/{member_id}",
    tag: "admin",
    access: "admin",
    params: adminMemberParams,
    body: adminRemoveBody,
    bodyOptional: true,
    summary: "Remove a member from a user's plan, with an optional reason kept in both histories",
    response: "{ success, message }.",
    errors: { 404: "The member holds no seat on that user's plan." },
  },
  {
    method: "get",
    path: "/api/openapi.json",
    tag: "docs",
    access: "public",
    summary: "This OpenAPI 3.1 document",
    response: "The document.",
  },
  {
    method: "get",
    path: "/api/docs",
    tag: "docs",
    access: "public",
    produces: "text/html",
    summary: "The API reference as an HTML page",
    response: "An HTML page.",
  },
];
