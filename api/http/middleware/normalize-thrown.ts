import { createMiddleware } from "hono/factory";
import type { AppEnv } from "../../env.ts";

/**
 * Hono hands only Error instances to onError and lets anything else escape as a bare 500. Drivers
 * can reject with other values (the Neon driver with the WebSocket's ErrorEvent when a pool connect
 * fails), so those are wrapped here and keep our JSON shape, request id and outage detection.
 */
export function normalizeThrown() {
  return createMiddleware<AppEnv>(async (_c, next) => {
    try {
      await next();
    } catch (thrown) {
      if (thrown instanceof Error) throw thrown;
      throw new Error(`Non-error thrown: ${String(thrown)}`, { cause: thrown });
    }
  });
}
