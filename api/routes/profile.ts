import { Hono } from "hono";
import type { AppDeps, AppEnv } from "../env.ts";
import { ApiError } from "../lib/api-error.ts";
import { profilePatch } from "../lib/schemas/account.ts";
import { issueToken } from "../lib/session-token.ts";
import { userJson } from "../lib/user-json.ts";
import { validate } from "../lib/validate.ts";
import { requireAuth } from "../middleware/auth.ts";
import { type ProfileChanges, findAccount, updateProfile } from "../services/users.ts";

export function profileRoutes(deps: AppDeps) {
  const loadAccount = async (c: { var: AppEnv["Variables"] }) => {
    const account = await findAccount(c.var.db, c.var.auth.userId);
    if (!account) throw new ApiError(401, "invalid_token", "The token's user no longer exists.");
    return account;
  };

  return new Hono<AppEnv>()
    .use(requireAuth(deps))
    .get("/", async (c) => c.json({ success: true as const, user: userJson(await loadAccount(c)) }, 200))
    .patch("/", validate("json", profilePatch), async (c) => {
      const body = c.req.valid("json");
      const changes: ProfileChanges = {
        displayName: body.display_name,
        bio: body.bio,
        location: body.location,
        jobTitle: body.job_title,
      };
      await updateProfile(c.var.db, c.var.auth.userId, changes, deps.clock());
      const [account, token] = await Promise.all([loadAccount(c), issueToken(deps, c.var.db, c.var.auth.userId)]);
      return c.json({ success: true as const, user: userJson(account), token }, 200);
    });
}
