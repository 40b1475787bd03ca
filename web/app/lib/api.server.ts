import { type ClientResponse, hc } from "hono/client";
import type { AppType } from "../../../api/app.ts";
import type { ErrorBody } from "../../../api/http/schemas/error-envelope.ts";
import type { WebHopHeader } from "../../../api/http/web-hop.ts";

/** An API refusal ({ success:false, error }) or an unreachable API (status 503, code NETWORK). */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
    this.name = "ApiError";
  }
}

function apiBaseUrl(): string {
  return process.env.API_URL ?? "http://localhost:8787";
}

function client(token?: string) {
  return hc<AppType>(apiBaseUrl(), { headers: token ? { Authorization: `Bearer ${token}` } : {} });
}

type SuccessStatus = 200 | 201 | 202;
type IsAny<T> = 0 extends 1 & T ? true : false;
// The success body of a typed-client response: error statuses are filtered out by their status code.
type SuccessBody<R> =
  IsAny<R> extends true
    ? unknown
    : R extends ClientResponse<infer T, infer S, infer _F>
      ? S extends SuccessStatus
        ? T
        : never
      : never;

async function call<R extends ClientResponse<unknown, number, string>>(request: Promise<R>): Promise<SuccessBody<R>> {
  let res: R;
  try {
    res = await request;
  } catch (cause) {
    throw new ApiError(503, "NETWORK", "The service is unreachable right now. Please try again in a moment.", cause);
  }
  const body = (await res.json().catch(() => null)) as unknown;
  if (res.ok) return body as SuccessBody<R>;
  // Whatever answered (the API, or a proxy in front of it) may not keep the envelope.
  const error = (body as Partial<ErrorBody> | null)?.error as Partial<ErrorBody["error"]> | undefined;
  const message =
    typeof error?.message === "string" && error.message
      ? error.message
      : `The service answered with an unexpected error (${res.status}).`;
  const code = typeof error?.code === "string" ? error.code : "UNKNOWN";
  throw new ApiError(res.status, code, message, error?.details);
}

const WEB_HOP_HEADER: WebHopHeader = "X-Tierkit-Web-Hop";

/**
 * The API rate-limits sign-ins per client address; without this every visitor would share the web
 * server's. The API believes the address only with the shared WEB_API_SECRET beside it.
 */
function forwardedFor(clientIp: string | undefined) {
  const secret = process.env.WEB_API_SECRET;
  if (!clientIp || !secret) return undefined;
  return { headers: { "X-Forwarded-For": clientIp, [WEB_HOP_HEADER]: secret } };
}

// hono/client pastes path parameters in as they are: "../../tiers?" would reach another route.
const userParam = (userId: string) => ({ user_id: encodeURIComponent(userId) });

/** The visitor's address as the web server's front (our Node server or a proxy) reported it. */
export function clientIp(request: Request): string | undefined {
  return request.headers.get("X-Forwarded-For")?.split(",")[0]?.trim() || undefined;
}

// Inputs and answers are the API's own route definitions, as the typed client infers them.
type Client = ReturnType<typeof client>;
type Json<Endpoint> = Endpoint extends (args: infer Args, ...rest: never[]) => unknown
  ? Args extends { json: infer Body }
    ? Body
    : never
  : never;
type Query<Endpoint> = Endpoint extends (args: infer Args, ...rest: never[]) => unknown
  ? Args extends { query: infer Q }
    ? Q
    : never
  : never;
type Subscription = Client["api"]["user"]["subscription"];
type Admin = Client["api"]["admin"];

export const api = {
  signup: (json: Json<Client["api"]["auth"]["signup"]["$post"]>, clientIp?: string) =>
    call(client().api.auth.signup.$post({ json }, forwardedFor(clientIp))),

  login: (json: Json<Client["api"]["auth"]["login"]["$post"]>, clientIp?: string) =>
    call(client().api.auth.login.$post({ json }, forwardedFor(clientIp))),

  refresh: (refreshToken: string) => call(client().api.auth.refresh.$post({ json: { refresh_token: refreshToken } })),

  /** Ends the session of the refresh token, or of the access token when there is none. */
  logout: (credentials: { refreshToken: string } | { token: string }) =>
    "refreshToken" in credentials
      ? call(client().api.auth.logout.$post({ json: { refresh_token: credentials.refreshToken } }))
      : call(client(credentials.token).api.auth.logout.$post({ json: {} })),

  profile: (token: string) => call(client(token).api.user.profile.$get()),

  updateProfile: (token: string, json: Json<Client["api"]["user"]["profile"]["$patch"]>) =>
    call(client(token).api.user.profile.$patch({ json })),

  tiers: () => call(client().api.tiers.$get()),

  subscription: (token: string) => call(client(token).api.user.subscription.$get()),

  /** The form's idempotency key makes a repeated submission (double click, resent POST) a replay. */
  upgrade: (token: string, json: Json<Subscription["upgrade"]["$post"]>, idempotencyKey?: string) =>
    call(
      client(token).api.user.subscription.upgrade.$post(
        { json },
        idempotencyKey ? { headers: { "Idempotency-Key": idempotencyKey } } : undefined,
      ),
    ),

  downgrade: (token: string, json: Json<Subscription["downgrade"]["$post"]>) =>
    call(client(token).api.user.subscription.downgrade.$post({ json })),

  undoDowngrade: (token: string) => call(client(token).api.user.subscription.downgrade.$delete()),

  cancel: (token: string, json: Json<Subscription["cancel"]["$delete"]>) =>
    call(client(token).api.user.subscription.cancel.$delete({ json })),

  resume: (token: string) => call(client(token).api.user.subscription.resume.$post()),

  /** A Stripe Checkout Session for a paid tier, from the free tier. */
  checkout: (token: string, json: Json<Subscription["checkout"]["$post"]>) =>
    call(client(token).api.user.subscription.checkout.$post({ json })),

  /** Re-reads the subscription from Stripe now (on the return from Checkout). */
  syncSubscription: (token: string) => call(client(token).api.user.subscription.sync.$post()),

  billingPortal: (token: string) => call(client(token).api.user["billing-portal"].$post()),

  seats: (token: string) => call(client(token).api.user.seats.$get()),

  invite: (token: string, email: string) => call(client(token).api.user.seats.invitations.$post({ json: { email } })),

  revokeInvitation: (token: string, id: string) =>
    call(client(token).api.user.seats.invitations[":id"].$delete({ param: { id } })),

  removeMember: (token: string, userId: string) =>
    call(client(token).api.user.seats[":user_id"].$delete({ param: { user_id: userId } })),

  leaveSeat: (token: string) => call(client(token).api.user.seat.$delete()),

  invitation: (invitationToken: string) =>
    call(client().api.seats.invitation.$get({ query: { token: invitationToken } })),

  acceptSeat: (token: string, invitationToken: string) =>
    call(client(token).api.seats.accept.$post({ json: { token: invitationToken } })),

  adminSeats: (token: string, userId: string) =>
    call(client(token).api.admin.users[":user_id"].seats.$get({ param: { user_id: userId } })),

  adminRemoveMember: (token: string, ownerId: string, memberId: string, reason?: string) =>
    call(
      client(token).api.admin.users[":user_id"].seats[":member_id"].$delete({
        param: { user_id: ownerId, member_id: memberId },
        json: { reason },
      }),
    ),

  adminSubscriptions: (token: string, query: Query<Admin["subscriptions"]["$get"]>) =>
    call(client(token).api.admin.subscriptions.$get({ query })),

  adminStats: (token: string) => call(client(token).api.admin["subscription-stats"].$get()),

  assignTier: (token: string, userId: string, json: Json<Admin["subscriptions"][":user_id"]["assign-tier"]["$post"]>) =>
    call(client(token).api.admin.subscriptions[":user_id"]["assign-tier"].$post({ param: userParam(userId), json })),

  history: (token: string, userId: string) =>
    call(client(token).api.admin.subscriptions[":user_id"].history.$get({ param: userParam(userId) })),

  adminUsers: (token: string, query: Query<Admin["users"]["$get"]>) =>
    call(client(token).api.admin.users.$get({ query })),

  adminUser: (token: string, userId: string) =>
    call(client(token).api.admin.users[":user_id"].$get({ param: userParam(userId) })),
};
