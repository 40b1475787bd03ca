// Every endpoint of the API with the zod schemas that validate its input; the OpenAPI document and
// the /api/docs page are generated from this table, and a test checks it against the app's routes.
import type { z } from "zod";
import { loginBody, profilePatch, signupBody } from "../schemas/account.ts";
import { assignTierBody, listSubscriptionsQuery, listUsersQuery, userIdParam } from "../schemas/admin.ts";
import { logoutBody, refreshBody } from "../schemas/session.ts";
import { cancelBody, downgradeBody, upgradeBody } from "../schemas/subscription.ts";
import { featureParam, serviceKeyBody, serviceKeyIdParam, usageBody } from "../schemas/usage.ts";

export type Access = "public" | "user" | "admin" | "service";

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
  errors?: Partial<Record<401 | 404 | 409 | 415 | 422 | 429, string>>;
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
    response: "The new user, an access token carrying the plan (tier claims, ent, ver) and a refresh token.",
    errors: { 409: "An account with this email exists.", 429: "Too many attempts." },
  },
  {
    method: "post",
    path: "/api/auth/login",
    tag: "auth",
    access: "public",
    body: loginBody,
    summary: "Sign in",
    response: "The user, an access token and the refresh token of a new session.",
    errors: { 429: "Too many attempts." },
  },
  {
    method: "post",
    path: "/api/auth/refresh",
    tag: "auth",
    access: "public",
    body: refreshBody,
    summary: "Exchange a refresh token for a new access token and the refresh token that replaces it",
    response: "The new pair; presenting the old refresh token again within 30 s answers the same pair.",
    errors: { 401: "Unknown, expired or reused refresh token, or an ended session." },
  },
  {
    method: "post",
    path: "/api/auth/logout",
    tag: "auth",
    access: "public",
    body: logoutBody,
    bodyOptional: true,
    summary: "End the session of the refresh token in the body, or else of the Bearer access token",
    response: "The session has ended; the API refuses its tokens at once.",
    errors: { 401: "No credentials, or an unknown refresh token." },
  },
  {
    method: "get",
    path: "/.well-known/jwks.json",
    tag: "auth",
    access: "public",
    summary: "The public keys (JWK Set) that verify access tokens",
    response: "The JWK Set, cacheable for 5 minutes.",
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
    path: "/api/user/entitlements",
    tag: "user",
    access: "user",
    summary: "Every feature of the caller's tier: limits with usage, remaining and reset time; flags",
    response: "Per-day limits reset at the next UTC midnight; running totals never reset.",
  },
  {
    method: "post",
    path: "/api/usage/{feature}/consume",
    tag: "usage",
    access: "service",
    params: featureParam,
    body: usageBody,
    idempotent: true,
    summary: "Count usage if it fits under the limit of the user's current tier",
    response: "What is counted now, the limit and what remains, and when the window resets.",
    errors: {
      404: "Unknown feature or user.",
      409: "The Idempotency-Key is in use.",
      422: "The Idempotency-Key was used with a different request.",
      429: "limit_reached: nothing was counted.",
    },
  },
  {
    method: "post",
    path: "/api/usage/{feature}/release",
    tag: "usage",
    access: "service",
    params: featureParam,
    body: usageBody,
    idempotent: true,
    summary: "Give back part of a running total (documents deleted)",
    response: "What is counted now, the limit and what remains.",
    errors: {
      404: "Unknown feature or user.",
      409: "More than is counted, or the Idempotency-Key is in use.",
      422: "The Idempotency-Key was used with a different request.",
    },
  },
  {
    method: "post",
    path: "/api/admin/service-keys",
    tag: "admin",
    access: "admin",
    status: 201,
    body: serviceKeyBody,
    summary: "Create a service key; its secret is in this answer only",
    response: "The key (shown once) and its record.",
  },
  {
    method: "get",
    path: "/api/admin/service-keys",
    tag: "admin",
    access: "admin",
    summary: "List service keys (never their secrets)",
    response: "Newest first, revoked ones included.",
  },
  {
    method: "delete",
    path: "/api/admin/service-keys/{id}",
    tag: "admin",
    access: "admin",
    params: serviceKeyIdParam,
    summary: "Revoke a service key; it stops working at once",
    response: "The revoked key.",
    errors: { 404: "No service key with this id." },
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
