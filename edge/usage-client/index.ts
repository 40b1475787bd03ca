import { absoluteUrl } from "../errors.ts";

/**
 * A small client for the usage endpoints, for the service that does the work: it holds a service
 * key (scope usage:write) and counts what each user consumes.
 */
export interface UsageClientOptions {
  /** The API's origin, e.g. https://api.example.com */
  baseUrl: string;
  /** A key from POST /api/admin/service-keys (tk_svc_…). Keep it a secret of the service. */
  serviceKey: string;
  fetch?: typeof fetch;
}

export interface UsageCall {
  userId: string;
  amount: number;
  /** Makes a retry safe: the same key and body within 24 h count once and replay the first answer. */
  idempotencyKey?: string;
}

export interface UsageCounted {
  allowed: true;
  feature: string;
  userId: string;
  used: number;
  /** null: unlimited. */
  limit: number | null;
  remaining: number | null;
  resetsAt: Date | null;
  replayed: boolean;
}

/** limit_reached: nothing was counted. `retryAfterSec` is set for per-day limits (until midnight UTC). */
export interface UsageRefused {
  allowed: false;
  code: "limit_reached";
  message: string;
  retryAfterSec: number | null;
}

/** Any other refusal (bad input, a revoked key, an unknown user or feature), in tierkit's envelope. */
export class TierkitError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = "TierkitError";
  }
}

interface UsageJson {
  feature: string;
  user_id: string;
  used: number;
  limit: number | null;
  remaining: number | null;
  resets_at: string | null;
}

export function createUsageClient(options: UsageClientOptions) {
  if (!absoluteUrl(options?.baseUrl)) {
    throw new TypeError("createUsageClient(): baseUrl must be an absolute URL.");
  }
  if (typeof options.serviceKey !== "string" || !options.serviceKey.startsWith("tk_svc_")) {
    throw new TypeError("createUsageClient(): serviceKey must be a tierkit service key (tk_svc_…).");
  }
  const fetcher = options.fetch ?? ((input, init) => fetch(input, init));

  async function call(
    action: "consume" | "release",
    feature: string,
    input: UsageCall,
  ): Promise<UsageCounted | UsageRefused> {
    const headers: Record<string, string> = {
      Authorization: `Bearer ${options.serviceKey}`,
      "Content-Type": "application/json",
    };
    if (input.idempotencyKey !== undefined) headers["Idempotency-Key"] = input.idempotencyKey;
    const url = new URL(`/api/usage/${encodeURIComponent(feature)}/${action}`, options.baseUrl);
    const response = await fetcher(url.toString(), {
      method: "POST",
      headers,
      body: JSON.stringify({ user_id: input.userId, amount: input.amount }),
    });
    const body = (await response.json().catch(() => null)) as
      | (UsageJson & { error?: { code: string; message: string } })
      | null;
    if (response.ok && body) {
      return {
        allowed: true,
        feature: body.feature,
        userId: body.user_id,
        used: body.used,
        limit: body.limit,
        remaining: body.remaining,
        resetsAt: body.resets_at === null ? null : new Date(body.resets_at),
        replayed: response.headers.get("Idempotent-Replayed") === "true",
      };
    }
    const error = body?.error ?? { code: "http_error", message: `tierkit answered ${response.status}.` };
    if (response.status === 429 && error.code === "limit_reached") {
      const retryAfter = response.headers.get("Retry-After");
      return {
        allowed: false,
        code: "limit_reached",
        message: error.message,
        retryAfterSec: retryAfter === null ? null : Number(retryAfter),
      };
    }
    throw new TierkitError(response.status, error.code, error.message);
  }

  return {
    /** Counts `amount` if it fits under the user's current limit; `allowed: false` counted nothing. */
    consume: (feature: string, input: UsageCall) => call("consume", feature, input),
    /** Gives back part of a running total (documents deleted); refusals throw TierkitError. */
    release: async (feature: string, input: UsageCall) => (await call("release", feature, input)) as UsageCounted,
  };
}
