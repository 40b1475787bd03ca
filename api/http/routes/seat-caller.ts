import { createMiddleware } from "hono/factory";
import type { AppEnv } from "../../env.ts";
import { SeatError } from "../../services/seats/index.ts";
import { goneUser } from "../middleware/auth.ts";

/** callerMustExist for the seat routes: the caller's own user gone means the token outlived it (401). */
export const seatCallerMustExist = createMiddleware<AppEnv>(async (c, next) => {
  await next();
  if (c.error instanceof SeatError && c.error.code === "user_not_found") {
    const gone = goneUser();
    c.res = c.json(gone.body, gone.status, gone.headers);
  }
});
