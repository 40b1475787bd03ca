import { z } from "@hono/zod-openapi";
import type { AppDeps } from "../../env.ts";
import { callerGone } from "../../services/service-error.ts";
import { findAccount, type ProfileChanges, updateProfile } from "../../services/users.ts";
import { requireAuth } from "../middleware/auth.ts";
import { apiRoute, createRouter, jsonBody, jsonResponse } from "../openapi/router.ts";
import { userJson } from "../presenters/user-json.ts";
import { profilePatch } from "../schemas/account.ts";
import { UserJson } from "../schemas/user-json.ts";
import { accountToken } from "../session-token.ts";

const getProfile = apiRoute("user", {
  method: "get",
  path: "/",
  tags: ["profile"],
  summary: "The caller's profile with their current tier",
  description: "The account as stored now, with the tier of its current subscription.",
  responses: {
    200: jsonResponse(z.strictObject({ success: z.literal(true), user: UserJson }), "The caller's account."),
  },
});

const patchProfile = apiRoute("user", {
  method: "patch",
  path: "/",
  tags: ["profile"],
  summary: "Update profile fields",
  description:
    "Changes the given fields (null or an empty string clears an optional one) and answers with a fresh token.",
  request: { body: jsonBody(profilePatch) },
  responses: {
    200: jsonResponse(
      z.strictObject({ success: z.literal(true), user: UserJson, token: z.string() }),
      "The updated account and a token carrying the new display name.",
    ),
  },
});

export function profileRoutes(deps: AppDeps) {
  const router = createRouter();
  router.use(requireAuth(deps));
  return router
    .openapi(getProfile, async (c) => {
      const account = await findAccount(c.var.db, c.var.auth.userId, c.var.auth.sid);
      if (!account) throw callerGone();
      return c.json({ success: true as const, user: userJson(account) }, 200);
    })
    .openapi(patchProfile, async (c) => {
      const body = c.req.valid("json");
      const changes: ProfileChanges = {
        displayName: body.display_name,
        bio: body.bio,
        location: body.location,
        jobTitle: body.job_title,
      };
      const { userId, sid } = c.var.auth;
      const account = await updateProfile(c.var.db, userId, changes, deps.clock(), sid);
      if (!account) throw callerGone();
      return c.json(
        { success: true as const, user: userJson(account), token: await accountToken(deps, account, sid) },
        200,
      );
    });
}
