import type { Context } from "hono";
import type { AppDeps, AppEnv } from "../../env.ts";
import type { RateLimit } from "../../services/rate-limits.ts";
import { clientAddress, requestLimit, takeRequestLimit } from "./rate-limit.ts";

/**
 * Sign-in limits (README "Rate limits"). Guessing one account's password is bounded per email and
 * address, so an attacker elsewhere cannot lock its owner out; the per-email ceiling is reached only
 * by a distributed attack; the per-address limit bounds trying many emails from one place.
 */
export const LOGIN_LIMITS = {
  perAddress: { limit: 30, windowSeconds: 60 },
  perEmailAndAddress: { limit: 10, windowSeconds: 60 },
  perEmail: { limit: 100, windowSeconds: 60 * 60 },
};
export const SIGNUP_LIMITS = {
  perAddress: { limit: 10, windowSeconds: 60 * 60 },
  perEmail: { limit: 10, windowSeconds: 60 },
};

type Deps = Pick<AppDeps, "clock" | "clientAddress">;

/** Attempts from one address, whatever they name, malformed ones included. */
export const loginPerAddress = (deps: Deps) =>
  requestLimit(deps, LOGIN_LIMITS.perAddress, (c) => `login:ip:${clientAddress(c, deps)}`);
export const signupPerAddress = (deps: Deps) =>
  requestLimit(deps, SIGNUP_LIMITS.perAddress, (c) => `signup:ip:${clientAddress(c, deps)}`);

/** Every login limit in the order they are checked: the address, then the email from it, then the email. */
export function loginLimits(c: Context<AppEnv>, deps: Deps, email: string): RateLimit[] {
  const normalized = email.toLowerCase();
  return [
    takeRequestLimit(c),
    { ...LOGIN_LIMITS.perEmailAndAddress, key: `login:email-ip:${normalized}:${clientAddress(c, deps)}` },
    { ...LOGIN_LIMITS.perEmail, key: `login:email:${normalized}` },
  ];
}

/** Every sign-up limit in the order they are checked: the address, then the email. */
export function signupLimits(c: Context<AppEnv>, email: string): RateLimit[] {
  return [takeRequestLimit(c), { ...SIGNUP_LIMITS.perEmail, key: `signup:email:${email.toLowerCase()}` }];
}
