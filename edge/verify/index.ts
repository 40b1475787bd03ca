import { createMiddleware } from "hono/factory";
import { createRemoteJWKSet, customFetch, errors, jwtVerify } from "jose";
import { asTierkitClaims, type TierkitClaims } from "../claims.ts";
import { absoluteUrl, refuse } from "../errors.ts";
import { createTierLevels, type TierLevels } from "../require-tier/tier-levels.ts";

export interface TierkitOptions {
  /** The API's key set, e.g. https://api.example.com/.well-known/jwks.json */
  jwksUrl: string;
  /** The `iss` tierkit signs with ("tierkit" unless configured otherwise). */
  issuer: string;
  /** The `aud` tierkit signs with ("tierkit-api" unless configured otherwise). */
  audience: string;
  /** The catalog requireTier learns levels from; defaults to /api/tiers on the JWKS URL's origin. */
  tiersUrl?: string;
  /** How long fetched keys and tier levels are trusted before they are fetched again (default 10 min). */
  cacheMaxAgeMs?: number;
  /** The least time between two fetches caused by an unknown kid or tier (default 30 s). */
  cooldownMs?: number;
  /** Tolerated clock difference for exp/nbf (default 5 s). */
  clockToleranceSec?: number;
  /** A fetch to use instead of the global one (tests, service bindings). */
  fetch?: typeof fetch;
  /** The time tokens are checked at (tests). */
  clock?: () => Date;
}

declare module "hono" {
  interface ContextVariableMap {
    /** The verified claims of the caller's tierkit token. */
    tierkit: TierkitClaims;
    /** The tier catalog requireTier reads levels from; set by tierkit(). */
    tierkitTiers: TierLevels;
  }
}

const CHALLENGE = 'Bearer realm="tierkit"';
const DEFAULTS = { cacheMaxAgeMs: 10 * 60 * 1000, cooldownMs: 30 * 1000, clockToleranceSec: 5 };

/**
 * The key set could not be had: the fetch failed (not a JOSE error at all), timed out, answered
 * non-200 or non-JSON (a bare JOSEError), or held no valid key set. Everything else is the token's fault.
 */
const keysUnavailable = (error: unknown) =>
  error instanceof errors.JWKSTimeout ||
  error instanceof errors.JWKSInvalid ||
  !(error instanceof errors.JOSEError) ||
  error.constructor === errors.JOSEError;

function checkedUrl(name: string, value: unknown): URL {
  const url = absoluteUrl(value);
  if (!url) throw new TypeError(`tierkit(): ${name} must be an absolute URL.`);
  if (url.protocol !== "https:" && url.protocol !== "http:") throw new TypeError(`tierkit(): ${name} must be http(s).`);
  return url;
}

function checkedString(name: string, value: unknown): string {
  if (typeof value !== "string" || value.trim() === "")
    throw new TypeError(`tierkit(): ${name} must be a non-empty string.`);
  return value;
}

function checkedDuration(name: string, value: unknown, fallback: number): number {
  if (value === undefined) return fallback;
  if (typeof value !== "number" || !Number.isFinite(value) || value < 0)
    throw new TypeError(`tierkit(): ${name} must be a non-negative number.`);
  return value;
}

/**
 * Verifies the caller's tierkit access token locally against the API's published keys (fetched
 * once, refetched for an unknown kid at most once per cooldown) and puts its claims on
 * `c.get("tierkit")`. No database, no call to tierkit per request. Answers 401 in tierkit's error
 * envelope for a missing, invalid or expired token, 503 when the keys cannot be fetched.
 */
export function tierkit(options: TierkitOptions) {
  if (typeof options !== "object" || options === null) throw new TypeError("tierkit(): options are required.");
  const jwksUrl = checkedUrl("jwksUrl", options.jwksUrl);
  const issuer = checkedString("issuer", options.issuer);
  const audience = checkedString("audience", options.audience);
  const tiersUrl =
    options.tiersUrl === undefined ? new URL("/api/tiers", jwksUrl) : checkedUrl("tiersUrl", options.tiersUrl);
  const cacheMaxAge = checkedDuration("cacheMaxAgeMs", options.cacheMaxAgeMs, DEFAULTS.cacheMaxAgeMs);
  const cooldown = checkedDuration("cooldownMs", options.cooldownMs, DEFAULTS.cooldownMs);
  const clockTolerance = checkedDuration("clockToleranceSec", options.clockToleranceSec, DEFAULTS.clockToleranceSec);
  if (options.fetch !== undefined && typeof options.fetch !== "function")
    throw new TypeError("tierkit(): fetch must be a function.");
  const fetcher = options.fetch ?? ((input, init) => fetch(input, init));
  const clock = options.clock ?? (() => new Date());

  const keys = createRemoteJWKSet(jwksUrl, {
    cacheMaxAge,
    cooldownDuration: cooldown,
    [customFetch]: (url, init) => fetcher(url, init),
  });
  const tiers = createTierLevels({ url: tiersUrl, fetch: fetcher, maxAgeMs: cacheMaxAge, cooldownMs: cooldown, clock });

  return createMiddleware(async (c, next) => {
    const match = /^Bearer +([A-Za-z0-9\-_.]+)$/i.exec(c.req.header("Authorization")?.trim() ?? "");
    if (!match?.[1])
      return refuse(c, 401, "unauthorized", "A Bearer token is required.", { "WWW-Authenticate": CHALLENGE });
    const invalid = (code: string, message: string) =>
      refuse(c, 401, code, message, { "WWW-Authenticate": `${CHALLENGE}, error="invalid_token"` });

    let payload: Record<string, unknown>;
    try {
      ({ payload } = await jwtVerify(match[1], keys, {
        algorithms: ["ES256"],
        issuer,
        audience,
        requiredClaims: ["exp", "iat"],
        clockTolerance,
        currentDate: clock(),
      }));
    } catch (error) {
      if (error instanceof errors.JWTExpired) return invalid("token_expired", "The token has expired.");
      if (keysUnavailable(error)) {
        return refuse(c, 503, "jwks_unavailable", "tierkit's signing keys could not be fetched; retry shortly.", {
          "Retry-After": "5",
        });
      }
      return invalid("invalid_token", "The token is not valid.");
    }
    const claims = asTierkitClaims(payload);
    if (!claims) return invalid("invalid_token", "The token's claims are not tierkit's.");
    c.set("tierkit", claims);
    c.set("tierkitTiers", tiers);
    await next();
  });
}
