import { createMiddleware } from "hono/factory";
import type { AppEnv, LogEntry } from "../../env.ts";

/** One structured line per request, written after the response (errors included) is settled. */
export function requestLog(log: (entry: LogEntry) => void) {
  return createMiddleware<AppEnv>(async (c, next) => {
    const started = performance.now();
    await next();
    const status = c.res.status;
    log({
      level: status >= 500 ? "error" : status >= 400 ? "warn" : "info",
      msg: "request",
      method: c.req.method,
      path: c.req.path,
      status,
      ms: Math.round((performance.now() - started) * 10) / 10,
      request_id: c.get("requestId"),
    });
  });
}
