import type { Context } from "hono";
import type { AppDeps, AppEnv } from "../../env.ts";
import { clientAddress, enforceRateLimit, rateLimit } from "./rate-limit.ts";

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

/** Before the body is read: attempts from one address, whatever they name. */
export const loginPerAddress = (deps: Deps) =>
  rateLimit(deps, { ...LOGIN_LIMITS.perAddress, key: (c) => `login:ip:${clientAddress(c, deps)}` });
export const signupPerAddress = (deps: Deps) =>
  rateLimit(deps, { ...SIGNUP_LIMITS.perAddress, key: (c) => `signup:ip:${clientAddress(c, deps)}` });

export async function enforceLoginLimits(c: Context<AppEnv>, deps: Deps, email: string): Promise<void> {
  const normalized = email.toLowerCase();
  await enforceRateLimit(c, deps, {
    ...LOGIN_LIMITS.perEmailAndAddress,
    key: `login:email-ip:${normalized}:${clientAddress(c, deps)}`,
  });
  await enforceRateLimit(c, deps, { ...LOGIN_LIMITS.perEmail, key: `login:email:${normalized}` });
}

export function enforceSignupLimits(c: Context<AppEnv>, deps: Deps, email: string): Promise<void> {
  return enforceRateLimit(c, deps, { ...SIGNUP_LIMITS.perEmail, key: `signup:email:${email.toLowerCase()}` });
}
