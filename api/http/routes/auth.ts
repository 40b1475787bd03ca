import { z } from "@hono/zod-openapi";
import type { AppDeps } from "../../env.ts";
import { ApiError } from "../errors/api-error.ts";
import { burnPasswordCheck, verifyPassword } from "../../lib/password.ts";
import { apiRoute, createRouter, errorResponses, jsonBody, jsonResponse } from "../openapi/router.ts";
import { loginBody, signupBody } from "../schemas/account.ts";
import { UserJson } from "../schemas/user-json.ts";
import { accountToken } from "../session-token.ts";
import { userJson } from "../presenters/user-json.ts";
import { clientIp, enforceRateLimit, rateLimit } from "../middleware/rate-limit.ts";
import { createUser, findUserByEmail, recordLogin } from "../../services/users.ts";

const SIGN_IN_LIMIT = { limit: 10, windowSeconds: 60 };

const invalidCredentials = () => new ApiError(401, "invalid_credentials", "The email or password is incorrect.");

const SignedIn = z
  .strictObject({ success: z.literal(true), token: z.string(), user: UserJson })
  .openapi("SignedIn");

export function authRoutes(deps: AppDeps) {
  const perIp = (action: string) =>
    rateLimit(deps, { ...SIGN_IN_LIMIT, key: (c) => `${action}:ip:${clientIp(c)}` });

  const signup = apiRoute("public", {
    method: "post",
    path: "/signup",
    tags: ["auth"],
    summary: "Create an account on the member tier",
    description:
      "Creates the user with a member subscription and answers with a token. Limited to 10 attempts a minute per IP and per email.",
    middleware: [perIp("signup")] as const,
    request: { body: jsonBody(signupBody) },
    responses: {
      201: jsonResponse(SignedIn, "The new user and a token carrying tier_slug, tier_level and subscription_status."),
      ...errorResponses(409, 429),
    },
  });

  const login = apiRoute("public", {
    method: "post",
    path: "/login",
    tags: ["auth"],
    summary: "Sign in",
    description: "Checks the password and answers with a fresh token. Limited to 10 attempts a minute per IP and per email.",
    middleware: [perIp("login")] as const,
    request: { body: jsonBody(loginBody) },
    responses: {
      200: jsonResponse(SignedIn, "The user and a fresh token."),
      ...errorResponses(401, 429),
    },
  });

  return createRouter()
    .openapi(signup, async (c) => {
      const body = c.req.valid("json");
      const db = c.var.db;
      await enforceRateLimit(c, deps, { ...SIGN_IN_LIMIT, key: `signup:email:${body.email.toLowerCase()}` });
      const account = await createUser(
        db,
        { email: body.email, password: body.password, displayName: body.display_name },
        deps.clock(),
      );
      return c.json({ success: true as const, token: await accountToken(deps, account), user: userJson(account) }, 201);
    })
    .openapi(login, async (c) => {
      const body = c.req.valid("json");
      const db = c.var.db;
      await enforceRateLimit(c, deps, { ...SIGN_IN_LIMIT, key: `login:email:${body.email.toLowerCase()}` });
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
