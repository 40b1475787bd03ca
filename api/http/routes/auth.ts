import { z } from "@hono/zod-openapi";
import { readBatch } from "../../../db/client/reads.ts";
import type { AppDeps } from "../../env.ts";
import { burnPasswordCheck, verifyPassword } from "../../lib/password.ts";
import { countHits } from "../../services/rate-limits.ts";
import { logIn, type SignedIn as NewSession, signUp } from "../../services/sessions/sign-in.ts";
import { activeTierRead } from "../../services/subscriptions/index.ts";
import { userByEmail } from "../../services/users.ts";
import { ApiError } from "../errors/api-error.ts";
import { rateLimited } from "../middleware/rate-limit.ts";
import { loginLimits, loginPerAddress, signupLimits, signupPerAddress } from "../middleware/sign-in-limits.ts";
import { apiRoute, createRouter, errorResponses, jsonBody, jsonResponse } from "../openapi/router.ts";
import { userJson } from "../presenters/user-json.ts";
import { loginBody, signupBody } from "../schemas/account.ts";
import { UserJson } from "../schemas/user-json.ts";
import { accountToken } from "../session-token.ts";

const invalidCredentials = () => new ApiError(401, "invalid_credentials", "The email or password is incorrect.");

const SignedIn = z
  .strictObject({
    success: z.literal(true),
    token: z.string().describe("The access token (ES256, 15 minutes unless ACCESS_TOKEN_TTL says otherwise)."),
    refresh_token: z.string().describe("Exchanged at /api/auth/refresh for the next pair; it rotates on every use."),
    user: UserJson,
  })
  .openapi("SignedIn");

export function authRoutes(deps: AppDeps) {
  const tokensOf = async ({ account, session }: NewSession) => ({
    token: await accountToken(deps, account, session.sessionId),
    refresh_token: session.refreshToken,
  });

  const signup = apiRoute("public", {
    method: "post",
    path: "/signup",
    tags: ["auth"],
    summary: "Create an account on the member tier",
    description:
      "Creates the user with a member subscription and its first session, and answers with an access token and a refresh token. Limited to 10 attempts an hour per client address and 10 a minute per email.",
    middleware: [signupPerAddress(deps)] as const,
    request: { body: jsonBody(signupBody) },
    responses: {
      201: jsonResponse(
        SignedIn,
        "The new user, an access token carrying the plan (tier claims, ent, ver) and a refresh token.",
      ),
      ...errorResponses(409, 429),
    },
  });

  const login = apiRoute("public", {
    method: "post",
    path: "/login",
    tags: ["auth"],
    summary: "Sign in",
    description:
      "Checks the password, opens a new session and answers with its access and refresh tokens. Limited to 30 attempts a minute per client address, 10 a minute per email from one address and 100 an hour per email.",
    middleware: [loginPerAddress(deps)] as const,
    request: { body: jsonBody(loginBody) },
    responses: {
      200: jsonResponse(SignedIn, "The user, an access token and the refresh token of a new session."),
      ...errorResponses(401, 429),
    },
  });

  return createRouter()
    .openapi(signup, async (c) => {
      const body = c.req.valid("json");
      const now = deps.clock();
      // The counts commit before the password is hashed (a refusal costs this one batch), read
      // with the member tier the new account starts on; the account is then written in one batch.
      const [refusal, member] = await readBatch(c.var.db, [
        countHits(signupLimits(c, body.email), now),
        activeTierRead("member"),
      ]);
      if (refusal) throw rateLimited(refusal, now);
      const signedIn = await signUp(
        c.var.db,
        { email: body.email, password: body.password, displayName: body.display_name },
        now,
        member,
      );
      return c.json({ success: true as const, ...(await tokensOf(signedIn)), user: userJson(signedIn.account) }, 201);
    })
    .openapi(login, async (c) => {
      const body = c.req.valid("json");
      const now = deps.clock();
      // The counts and the account's password hash in one batch; refused, the hash goes unread.
      const [refusal, user] = await readBatch(c.var.db, [
        countHits(loginLimits(c, deps, body.email), now),
        userByEmail(body.email),
      ]);
      if (refusal) throw rateLimited(refusal, now);
      if (!user) {
        await burnPasswordCheck(body.password);
        throw invalidCredentials();
      }
      if (!(await verifyPassword(body.password, user.passwordHash))) throw invalidCredentials();
      const signedIn = await logIn(c.var.db, user.id, now);
      if (!signedIn) throw invalidCredentials();
      return c.json({ success: true as const, ...(await tokensOf(signedIn)), user: userJson(signedIn.account) }, 200);
    });
}
