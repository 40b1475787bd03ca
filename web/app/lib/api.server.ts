import { hc, type ClientResponse } from "hono/client";
import type { AppType } from "../../../api/app.ts";
import type { StatusFilter } from "./admin-query.ts";
import type {
  AdminSubscriptionRow,
  AdminUserRow,
  BillingCycle,
  HeldSeat,
  HistoryEntry,
  InvitationPreview,
  Page,
  SeatInvitation,
  Seats,
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

// The API rate-limits sign-ins per client IP; without this every visitor would share the web server's.
function forwardedFor(clientIp: string | undefined) {
  return clientIp ? { headers: { "X-Forwarded-For": clientIp } } : undefined;
}

/** The visitor's address as the web server's front (our Node server or a proxy) reported it. */
export function clientIp(request: Request): string | undefined {
  return request.headers.get("X-Forwarded-For")?.split(",")[0]?.trim() || undefined;
}

export const api = {
  signup: (json: { email: string; password: string; display_name: string }, clientIp?: string): Promise<Token & { user: User }> =>
    call(client().api.auth.signup.$post({ json }, forwardedFor(clientIp))),

  login: (json: { email: string; password: string }, clientIp?: string): Promise<Token & { user: User }> =>
    call(client().api.auth.login.$post({ json }, forwardedFor(clientIp))),

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

  seats: (token: string): Promise<Seats> => call(client(token).api.user.seats.$get()),

  invite: (token: string, email: string): Promise<{ message: string; invitation: SeatInvitation; accept_url: string }> =>
    call(client(token).api.user.seats.invitations.$post({ json: { email } })),

  revokeInvitation: (token: string, id: string): Promise<{ message: string }> =>
    call(client(token).api.user.seats.invitations[":id"].$delete({ param: { id } })),

  removeMember: (token: string, userId: string): Promise<{ message: string }> =>
    call(client(token).api.user.seats[":user_id"].$delete({ param: { user_id: userId } })),

  leaveSeat: (token: string): Promise<Token & { message: string }> => call(client(token).api.user.seat.$delete()),

  invitation: (invitationToken: string): Promise<{ invitation: InvitationPreview }> =>
    call(client().api.seats.invitation.$get({ query: { token: invitationToken } })),

  acceptSeat: (token: string, invitationToken: string): Promise<Token & { message: string; seat: HeldSeat }> =>
    call(client(token).api.seats.accept.$post({ json: { token: invitationToken } })),

  adminSeats: (token: string, userId: string): Promise<Seats> =>
    call(client(token).api.admin.users[":user_id"].seats.$get({ param: { user_id: userId } })),

  adminRemoveMember: (token: string, ownerId: string, memberId: string, reason?: string): Promise<{ message: string }> =>
    call(
      client(token).api.admin.users[":user_id"].seats[":member_id"].$delete({
        param: { user_id: ownerId, member_id: memberId },
        json: { reason },
      }),
    ),

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
    call(client(token).api.admin.subscriptions[":user_id"]["assign-tier"].$post({ param: { user_id: userId }, json })),

  history: (token: string, userId: string): Promise<{ history: HistoryEntry[] }> =>
    call(client(token).api.admin.subscriptions[":user_id"].history.$get({ param: { user_id: userId } })),

  adminUsers: (
    token: string,
    query: { page: string; limit: string; tier?: string; q?: string },
  ): Promise<Page<AdminUserRow>> => call(client(token).api.admin.users.$get({ query })),

  adminUser: (token: string, userId: string): Promise<{ user: User; subscription: Subscription | null }> =>
    call(client(token).api.admin.users[":user_id"].$get({ param: { user_id: userId } })),
};
