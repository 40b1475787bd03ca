import type { ExecutionContext } from "hono";
import { openNeonHttp } from "../db/client/neon-http.ts";
import { createApp } from "./app.ts";
import { logJson } from "./lib/log-json.ts";
import { SettingsError } from "./lib/settings/parse.ts";
import { loadTokenKeys } from "./lib/tokens/signing-keys.ts";
import { type CronController, runScheduledTrigger } from "./worker-scheduled.ts";
import { type WorkerEnv, type WorkerSettings, workerPaymentSettings, workerSettings } from "./worker-settings.ts";

export type { WorkerEnv } from "./worker-settings.ts";

type App = ReturnType<typeof createApp>;

type Parsed = { settings: WorkerSettings } | { error: SettingsError };

// Settings are parsed once per env object and the app built once per isolate: an isolate's env is fixed.
const parsedByEnv = new WeakMap<WorkerEnv, Parsed>();
// A key that parses but does not import (a point off the curve, a key listed twice) stays an Error.
let app: Promise<App | Error> | undefined;

function settingsOf(env: WorkerEnv): Parsed {
  let parsed = parsedByEnv.get(env);
  if (!parsed) {
    try {
      parsed = { settings: workerSettings(env) };
    } catch (error) {
      if (!(error instanceof SettingsError)) throw error;
      parsed = { error };
    }
    parsedByEnv.set(env, parsed);
  }
  return parsed;
}

function openDatabase(settings: WorkerSettings) {
  return openNeonHttp(settings.DATABASE_URL, {
    fetchEndpoint: settings.NEON_HTTP_ENDPOINT,
    wsProxy: settings.NEON_WS_PROXY,
  });
}

/** A deployment with missing or invalid settings is the operator's fault: say which, in the log and the body. */
function configError(problems: string[]): Response {
  logJson({ level: "error", msg: "worker.config_invalid", problems });
  const message = `The API is not configured: ${problems.join("; ")} (set secrets with wrangler secret put NAME).`;
  return Response.json({ success: false, error: { code: "config_error", message } }, { status: 500 });
}

async function buildApp(settings: WorkerSettings): Promise<App | Error> {
  try {
    return createApp({
      database: { open: () => openDatabase(settings) },
      clock: () => new Date(),
      keys: await loadTokenKeys({ signingKeys: settings.JWT_SIGNING_KEYS, legacySecret: settings.JWT_SECRET }),
      accessTokenTtlSeconds: settings.ACCESS_TOKEN_TTL,
      corsOrigins: settings.CORS_ORIGINS,
      log: logJson,
      clientAddress: { trustProxy: settings.TRUST_PROXY, webHopSecret: settings.WEB_API_SECRET },
      appOrigin: settings.APP_ORIGIN,
      payments: workerPaymentSettings(settings),
    });
  } catch (error) {
    return error instanceof Error ? error : new Error(String(error));
  }
}

export default {
  async fetch(request: Request, env: WorkerEnv, ctx: ExecutionContext): Promise<Response> {
    const result = settingsOf(env);
    if ("error" in result) return configError(result.error.problems);
    app ??= buildApp(result.settings);
    const built = await app;
    if (built instanceof Error) return configError([built.message]);
    return built.fetch(request, env, ctx);
  },

  // The cron path lives in worker-scheduled.ts; it shares only the settings and the database opener.
  async scheduled(controller: CronController, env: WorkerEnv, ctx: ExecutionContext): Promise<void> {
    await runScheduledTrigger(controller, ctx, settingsOf(env), openDatabase);
  },
};
