import { createRoute } from "@hono/zod-openapi";
import type { AppDeps } from "../../env.ts";
import { revokeByRefreshToken, revokeSession, rotateRefreshToken } from "../../services/sessions/sessions.ts";
import { ApiError } from "../errors/api-error.ts";
import { authenticate } from "../middleware/auth.ts";
import { createRouter, errorResponses, jsonBody, jsonResponse } from "../openapi/router.ts";
import { loggedOut, logoutBody, refreshBody, tokenPair } from "../schemas/session.ts";
import { issueToken } from "../session-token.ts";

const refreshRoute = createRoute({
  method: "post",
  path: "/refresh",
  tags: ["auth"],
  summary: "Exchange a refresh token for a new access token and the refresh token that replaces it",
  description:
    "Each refresh token works once. Presenting it again within 30 seconds of its use answers the same pair " +
    "(parallel requests of one client); presenting it later ends the whole session.",
  request: { body: jsonBody(refreshBody) },
  responses: {
    200: jsonResponse(tokenPair, "The new access token and refresh token."),
    ...errorResponses(400, 401, 413, 415, 503),
  },
});

const logoutRoute = createRoute({
  method: "post",
  path: "/logout",
  tags: ["auth"],
  summary: "End a session",
  description:
    "Ends the session of the refresh token in the body, or else of the Bearer access token. The API refuses the " +
    "session's access tokens at once; services verifying them locally accept them until they expire.",
  request: { body: jsonBody(logoutBody, false) },
  responses: {
    200: jsonResponse(loggedOut, "The session has ended."),
    ...errorResponses(400, 401, 413, 415, 503),
  },
});

export function sessionRoutes(deps: AppDeps) {
  return createRouter()
    .openapi(refreshRoute, async (c) => {
      const { refresh_token } = c.req.valid("json");
      const session = await rotateRefreshToken(c.var.db, deps.keys, refresh_token, deps.clock());
      const token = await issueToken(deps, c.var.db, session.userId, session.sessionId);
      return c.json({ success: true as const, token, refresh_token: session.refreshToken }, 200);
    })
    .openapi(logoutRoute, async (c) => {
      const body = c.req.valid("json") ?? {};
      const now = deps.clock();
      if (body.refresh_token) {
        await revokeByRefreshToken(c.var.db, body.refresh_token, now);
      } else {
        const caller = await authenticate(deps, c.req.header("Authorization"));
        if (!caller.sid) throw new ApiError(400, "no_session", "This token belongs to no session; let it expire.");
        await revokeSession(c.var.db, caller.userId, caller.sid, now);
      }
      return c.json({ success: true as const }, 200);
    });
}
