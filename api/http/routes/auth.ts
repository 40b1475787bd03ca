import { Hono } from "hono";
import type { AppDeps, AppEnv } from "../../env.ts";
import { ApiError } from "../errors/api-error.ts";
import { burnPasswordCheck, verifyPassword } from "../../lib/password.ts";
import { loginBody, signupBody } from "../schemas/account.ts";
import { accountToken } from "../session-token.ts";
import { userJson } from "../presenters/user-json.ts";
import { validate } from "../schemas/validate.ts";
import { type RateLimitOptions, clientAddress, enforceRateLimit, rateLimit } from "../middleware/rate-limit.ts";
import { EmailTakenError, createUser, findUserByEmail, recordLogin } from "../../services/users.ts";

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

const invalidCredentials = () => new ApiError(401, "invalid_credentials", "The email or password is incorrect.");

export function authRoutes(deps: AppDeps) {
  const perAddress = (action: string, limit: RateLimitOptions) =>
    rateLimit(deps, { ...limit, key: (c) => `${action}:ip:${clientAddress(c, deps)}` });

  return new Hono<AppEnv>()
    .post("/signup", perAddress("signup", SIGNUP_LIMITS.perAddress), validate("json", signupBody), async (c) => {
      const body = c.req.valid("json");
      const db = c.var.db;
      await enforceRateLimit(c, deps, { ...SIGNUP_LIMITS.perEmail, key: `signup:email:${body.email.toLowerCase()}` });
      let account;
      try {
        account = await createUser(db, { email: body.email, password: body.password, displayName: body.display_name }, deps.clock());
      } catch (error) {
        if (error instanceof EmailTakenError) throw new ApiError(409, "email_taken", "An account with this email already exists.");
        throw error;
      }
      return c.json({ success: true as const, token: await accountToken(deps, account), user: userJson(account) }, 201);
    })
    .post("/login", perAddress("login", LOGIN_LIMITS.perAddress), validate("json", loginBody), async (c) => {
      const body = c.req.valid("json");
      const db = c.var.db;
      const email = body.email.toLowerCase();
      const address = clientAddress(c, deps);
      await enforceRateLimit(c, deps, { ...LOGIN_LIMITS.perEmailAndAddress, key: `login:email-ip:${email}:${address}` });
      await enforceRateLimit(c, deps, { ...LOGIN_LIMITS.perEmail, key: `login:email:${email}` });
      const user = await findUserByEmail(db, body.email);
      if (!user) {
        await burnPasswordCheck(body.password);
        throw invalidCredentials();
      }
      if (!(await verifyPassword(body.password, user.passwordHash))) throw invalidCredentials();
      const account = await recordLogin(db, user.id, deps.clock());
      if (!account) throw invalidCredentials();
      return c.json({ success: true as const, token: await accountToken(deps, account), user: userJson(account) }, 200);
    });
}
