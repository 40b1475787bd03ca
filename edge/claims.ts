import type { Entitlements } from "../api/services/entitlements/features.ts";

/**
 * What a verified tierkit access token says. The tier claims are a snapshot from when the token was
 * signed (it lives ACCESS_TOKEN_TTL, 15 minutes by default): `ver` grows with every change to the
 * user's plan, so of two tokens the one with the higher `ver` is the newer state.
 */
export interface TierkitClaims {
  user_id: string;
  email: string;
  display_name: string;
  is_admin: boolean;
  tier_slug: string;
  tier_level: number;
  subscription_status: string;
  /** The tier's limits (null: unlimited) and flags, as GET /api/user/entitlements lists them. */
  ent: Entitlements;
  ver: number;
  sid?: string;
  iss: string;
  aud: string | string[];
  iat: number;
  exp: number;
}

const isString = (value: unknown): value is string => typeof value === "string";
const isEntitlements = (value: unknown): value is Entitlements =>
  typeof value === "object" &&
  value !== null &&
  !Array.isArray(value) &&
  Object.values(value).every(
    (v) => v === null || typeof v === "boolean" || (typeof v === "number" && Number.isFinite(v)),
  );

/** The claims a consumer relies on, checked after the signature: a token without them is not one of ours. */
export function asTierkitClaims(payload: Record<string, unknown>): TierkitClaims | null {
  const ok =
    isString(payload.user_id) &&
    isString(payload.email) &&
    isString(payload.display_name) &&
    typeof payload.is_admin === "boolean" &&
    isString(payload.tier_slug) &&
    Number.isInteger(payload.tier_level) &&
    isString(payload.subscription_status) &&
    isEntitlements(payload.ent) &&
    Number.isInteger(payload.ver) &&
    (payload.sid === undefined || isString(payload.sid));
  return ok ? (payload as unknown as TierkitClaims) : null;
}
