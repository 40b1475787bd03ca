import { Hono } from "hono";
import type { AppDeps, AppEnv } from "../../env.ts";
import { profilePatch } from "../schemas/account.ts";
import { accountToken } from "../session-token.ts";
import { userJson } from "../presenters/user-json.ts";
import { validate } from "../schemas/validate.ts";
import { goneUser, requireAuth } from "../middleware/auth.ts";
import { type ProfileChanges, findAccount, updateProfile } from "../../services/users.ts";

export function profileRoutes(deps: AppDeps) {
  const loadAccount = async (c: { var: AppEnv["Variables"] }) => {
    const account = await findAccount(c.var.db, c.var.auth.userId, c.var.auth.sid);
    if (!account) throw goneUser();
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
      const { userId, sid } = c.var.auth;
      const account = await updateProfile(c.var.db, userId, changes, deps.clock(), sid);
      if (!account) throw goneUser();
      return c.json({ success: true as const, user: userJson(account), token: await accountToken(deps, account, sid) }, 200);
    });
}
