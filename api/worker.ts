import type { ExecutionContext } from "hono";
import { openNeon } from "../db/client/neon.ts";
import { createApp } from "./app.ts";
import { logJson } from "./lib/log-json.ts";
import { parseOriginList } from "./lib/origin-list.ts";
import { loadTokenKeys } from "./lib/tokens/signing-keys.ts";
import { tokenSettings } from "./lib/tokens/token-settings.ts";
import { runScheduledPass } from "./services/scheduled-pass.ts";

/** Bindings from wrangler.toml `[vars]`, `wrangler secret put` or `wrangler dev --var`. */
export interface WorkerEnv {
  DATABASE_URL?: string;
  /** A JSON array of private EC P-256 JWKs: the first signs access tokens, all verify them. */
  JWT_SIGNING_KEYS?: string;
  /** The HS256 secret of tokens signed before JWT_SIGNING_KEYS; verify-only, remove it to retire them. */
  JWT_SECRET?: string;
  /** Access-token lifetime in seconds (default 900). */
  ACCESS_TOKEN_TTL?: string;
  /** Comma-separated browser origins allowed by CORS. */
  CORS_ORIGINS?: string;
  /** Local runs only: `host:port` of scripts/ws-proxy.ts in front of a plain PostgreSQL. */
  NEON_WS_PROXY?: string;
}

/** The part of workerd's ScheduledController the cron reads. */
export interface CronController {
  scheduledTime: number;
  cron: string;
}

type App = ReturnType<typeof createApp>;

const REQUIRED = ["DATABASE_URL", "JWT_SIGNING_KEYS"] as const;

/** Bound by the cron so one invocation stays well inside the Workers CPU and wall-time limits. */
const CRON_BATCH_SIZE = 500;
const CRON_MAX_BATCHES = 10;

// Built on the first request and reused for the isolate's lifetime; the env of an isolate is fixed.
// A setting that does not parse stays an Error, answered like a missing one.
let app: Promise<App | Error> | undefined;

function missingSettings(env: WorkerEnv): string[] {
  return REQUIRED.filter((name) => !env[name]);
}

function openDatabase(databaseUrl: string, env: WorkerEnv) {
  return openNeon(databaseUrl, { wsProxy: env.NEON_WS_PROXY });
}

/** A deployment without its secrets is the operator's fault: say which ones, in the log and the body. */
function configError(missing: string[]): Response {
  const message = `The API is not configured: ${missing.join(", ")} must be set (wrangler secret put ${missing[0]}).`;
  logJson({ level: "error", msg: "worker.config_missing", missing });
  return Response.json({ success: false, error: { code: "config_error", message } }, { status: 500 });
}

function invalidConfig(error: Error): Response {
  logJson({ level: "error", msg: "worker.config_invalid", error: error.message });
  return Response.json({ success: false, error: { code: "config_error", message: error.message } }, { status: 500 });
}

async function buildApp(env: WorkerEnv, databaseUrl: string, signingKeys: string): Promise<App | Error> {
  try {
    const settings = tokenSettings({ JWT_SIGNING_KEYS: signingKeys, JWT_SECRET: env.JWT_SECRET, ACCESS_TOKEN_TTL: env.ACCESS_TOKEN_TTL });
    return createApp({
      database: { open: () => openDatabase(databaseUrl, env) },
      clock: () => new Date(),
      keys: await loadTokenKeys(settings),
      accessTokenTtlSeconds: settings.accessTokenTtlSeconds,
      corsOrigins: parseOriginList(env.CORS_ORIGINS),
      log: logJson,
    });
  } catch (error) {
    return error instanceof Error ? error : new Error(String(error));
  }
}

export default {
  async fetch(request: Request, env: WorkerEnv, ctx: ExecutionContext): Promise<Response> {
    const missing = missingSettings(env);
    if (missing.length > 0) return configError(missing);
    app ??= buildApp(env, env.DATABASE_URL as string, env.JWT_SIGNING_KEYS as string);
    const built = await app;
    if (built instanceof Error) return invalidConfig(built);
    return built.fetch(request, env, ctx);
  },

  async scheduled(controller: CronController, env: WorkerEnv, ctx: ExecutionContext): Promise<void> {
    if (!env.DATABASE_URL) {
      logJson({ level: "error", msg: "cron.config_missing", missing: ["DATABASE_URL"] });
      throw new Error("DATABASE_URL is not set; the cron cannot run.");
    }
    const now = new Date(controller.scheduledTime);
    const handle = openDatabase(env.DATABASE_URL, env);
    try {
      const result = await runScheduledPass(handle.db, { now, batchSize: CRON_BATCH_SIZE, maxBatches: CRON_MAX_BATCHES });
      logJson({ level: "info", msg: "cron.processed", cron: controller.cron, now: now.toISOString(), ...result });
    } catch (error) {
      logJson({ level: "error", msg: "cron.failed", cron: controller.cron, now: now.toISOString(), error: String(error) });
      // Rethrown so the invocation is recorded as failed in the Workers cron history.
      throw error;
    } finally {
      ctx.waitUntil(handle.close().catch(() => {}));
    }
  },
};
