import { createMiddleware } from "hono/factory";
import type { AppDeps, AppEnv } from "../../env.ts";

/** Puts the request's Database on the context; a per-request handle is closed after the response. */
export function database(provider: AppDeps["database"]) {
  if ("db" in provider) {
    // Not an async function: one Database for the process needs no awaiting, and every request passes here.
    return createMiddleware<AppEnv>((c, next) => {
      c.set("db", provider.db);
      return next();
    });
  }
  return createMiddleware<AppEnv>(async (c, next) => {
    const handle = provider.open();
    c.set("db", handle.db);
    try {
      await next();
    } finally {
      const closing = handle.close().catch(() => {});
      // Workers keep the isolate alive for waitUntil; elsewhere there is no execution context.
      let ctx: { waitUntil(p: Promise<unknown>): void } | undefined;
      try {
        ctx = c.executionCtx;
      } catch {
        ctx = undefined;
      }
      if (ctx) ctx.waitUntil(closing);
      else await closing;
    }
  });
}
