import { hc, type ClientResponse } from "hono/client";
import type { AppType } from "../../../api/app.ts";
import type { WebHopHeader } from "../../../api/http/web-hop.ts";
import type { StatusFilter } from "./admin-query.ts";
import type {
  AdminSubscriptionRow,
  AdminUserRow,
  BillingCycle,
  HistoryEntry,
  Page,
  Subscription,
  SubscriptionOverview,
  SubscriptionStats,
  Tier,
  User,
} from "./api-types.ts";

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

interface ErrorBody {
  error?: { code?: unknown; message?: unknown; details?: unknown };
}

async function call<R extends ClientResponse<unknown, number, string>>(request: Promise<R>): Promise<SuccessBody<R>> {
  let res: R;
  try {
    res = await request;
  } catch (cause) {
    throw new ApiError(503, "NETWORK", "The service is unreachable right now. Please try again in a moment.", cause);
  }
  const body = (await res.json().catch(() => null)) as unknown;
  if (res.ok) return body as SuccessBody<R>;
  const error = (body as ErrorBody | null)?.error;
  const message =
    typeof error?.message === "string" && error.message
      ? error.message
      : `The service answered with an unexpected error (${res.status}).`;
  const code = typeof error?.code === "string" ? error.code : "UNKNOWN";
  throw new ApiError(res.status, code, message, error?.details);
}

type Token = { token: string };
type Tokens = Token & { refresh_token: string };

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

export const api = {
  signup: (json: { email: string; password: string; display_name: string }, clientIp?: string): Promise<Tokens & { user: User }> =>
    call(client().api.auth.signup.$post({ json }, forwardedFor(clientIp))),

  login: (json: { email: string; password: string }, clientIp?: string): Promise<Tokens & { user: User }> =>
    call(client().api.auth.login.$post({ json }, forwardedFor(clientIp))),

  refresh: (refreshToken: string): Promise<{ token: string; refresh_token: string }> =>
    call(client().api.auth.refresh.$post({ json: { refresh_token: refreshToken } })),

  /** Ends the session of the refresh token, or of the access token when there is none. */
  logout: (credentials: { refreshToken: string } | { token: string }): Promise<{ success: true }> =>
    "refreshToken" in credentials
      ? call(client().api.auth.logout.$post({ json: { refresh_token: credentials.refreshToken } }))
      : call(client(credentials.token).api.auth.logout.$post({ json: {} })),

  profile: (token: string): Promise<{ user: User }> => call(client(token).api.user.profile.$get()),

  updateProfile: (
    token: string,
    json: { display_name?: string; bio?: string; location?: string; job_title?: string },
  ): Promise<Token & { user: User }> => call(client(token).api.user.profile.$patch({ json })),

  tiers: (): Promise<{ tiers: Tier[] }> => call(client().api.tiers.$get()),

  subscription: (token: string): Promise<SubscriptionOverview> => call(client(token).api.user.subscription.$get()),

  /** The form's idempotency key makes a repeated submission (double click, resent POST) a replay. */
  upgrade: (
    token: string,
    json: { tier_slug: string; billing_cycle: BillingCycle },
    idempotencyKey?: string,
  ): Promise<Token & { message: string; upgrade: { new_tier: string; next_billing: string | null } }> =>
    call(
      client(token).api.user.subscription.upgrade.$post(
        { json },
        idempotencyKey ? { headers: { "Idempotency-Key": idempotencyKey } } : undefined,
      ),
    ),

  downgrade: (
    token: string,
    json: { tier_slug: string; reason?: string },
  ): Promise<Token & { message: string; downgrade: { new_tier: string; effective_date: string } }> =>
    call(client(token).api.user.subscription.downgrade.$post({ json })),

  undoDowngrade: (token: string): Promise<Token & { message: string; subscription: Subscription }> =>
    call(client(token).api.user.subscription.downgrade.$delete()),

  cancel: (
    token: string,
    json: { reason?: string },
  ): Promise<Token & { message: string; cancellation: { remains_active_until: string | null } }> =>
    call(client(token).api.user.subscription.cancel.$delete({ json })),

  resume: (token: string): Promise<Token & { message: string; subscription: Subscription }> =>
    call(client(token).api.user.subscription.resume.$post()),

  adminSubscriptions: (
    token: string,
    query: { page: string; limit: string; tier_filter: string; status_filter: StatusFilter },
  ): Promise<Page<AdminSubscriptionRow>> => call(client(token).api.admin.subscriptions.$get({ query })),

  adminStats: (token: string): Promise<{ stats: SubscriptionStats }> =>
    call(client(token).api.admin["subscription-stats"].$get()),

  assignTier: (
    token: string,
    userId: string,
    json: { tier_slug: string; billing_cycle: BillingCycle; reason: string },
  ): Promise<{ message: string; subscription: { tier_slug: string } }> =>
    call(client(token).api.admin.subscriptions[":user_id"]["assign-tier"].$post({ param: userParam(userId), json })),

  history: (token: string, userId: string): Promise<{ history: HistoryEntry[] }> =>
    call(client(token).api.admin.subscriptions[":user_id"].history.$get({ param: userParam(userId) })),

  adminUsers: (
    token: string,
    query: { page: string; limit: string; tier?: string; q?: string },
  ): Promise<Page<AdminUserRow>> => call(client(token).api.admin.users.$get({ query })),

  adminUser: (token: string, userId: string): Promise<{ user: User; subscription: Subscription | null }> =>
    call(client(token).api.admin.users[":user_id"].$get({ param: userParam(userId) })),
};
