import { Hono } from "hono";
import type { AppDeps, AppEnv } from "../../env.ts";
import { ApiError } from "../errors/api-error.ts";
import { burnPasswordCheck, verifyPassword } from "../../lib/password.ts";
import { loginBody, signupBody } from "../schemas/account.ts";
import { accountToken } from "../session-token.ts";
import { userJson } from "../presenters/user-json.ts";
import { validate } from "../schemas/validate.ts";
import { enforceLoginLimits, enforceSignupLimits, loginPerAddress, signupPerAddress } from "../middleware/sign-in-limits.ts";
import { type SignedIn, logIn, signUp } from "../../services/sessions/sign-in.ts";
import { EmailTakenError, findUserByEmail } from "../../services/users.ts";

const invalidCredentials = () => new ApiError(401, "invalid_credentials", "The email or password is incorrect.");

export function authRoutes(deps: AppDeps) {
  const tokensOf = async ({ account, session }: SignedIn) => ({
    token: await accountToken(deps, account, session.sessionId),
    refresh_token: session.refreshToken,
  });

  return new Hono<AppEnv>()
    .post("/signup", signupPerAddress(deps), validate("json", signupBody), async (c) => {
      const body = c.req.valid("json");
      const db = c.var.db;
      await enforceSignupLimits(c, deps, body.email);
      let signedIn;
      try {
        signedIn = await signUp(db, { email: body.email, password: body.password, displayName: body.display_name }, deps.clock());
      } catch (error) {
        if (error instanceof EmailTakenError) throw new ApiError(409, "email_taken", "An account with this email already exists.");
        throw error;
      }
      return c.json({ success: true as const, ...(await tokensOf(signedIn)), user: userJson(signedIn.account) }, 201);
    })
    .post("/login", loginPerAddress(deps), validate("json", loginBody), async (c) => {
      const body = c.req.valid("json");
      const db = c.var.db;
      await enforceLoginLimits(c, deps, body.email);
      const user = await findUserByEmail(db, body.email);
      if (!user) {
        await burnPasswordCheck(body.password);
        throw invalidCredentials();
      }
      if (!(await verifyPassword(body.password, user.passwordHash))) throw invalidCredentials();
      const signedIn = await logIn(db, user.id, deps.clock());
      if (!signedIn) throw invalidCredentials();
      return c.json({ success: true as const, ...(await tokensOf(signedIn)), user: userJson(signedIn.account) }, 200);
    });
}
