import type { ExecutionContext } from "hono";
import { openNeon } from "../db/client/neon.ts";
import { createApp } from "./app.ts";
import { logJson } from "./lib/log-json.ts";
import { parseOriginList } from "./lib/origin-list.ts";
import { runScheduledPass } from "./services/scheduled-pass.ts";
import { type PaymentSettings, paymentSettingsFromEnv, paymentsFor } from "./services/payments/index.ts";

/** Bindings from wrangler.toml `[vars]`, `wrangler secret put` or `wrangler dev --var`. */
export interface WorkerEnv {
  DATABASE_URL?: string;
  JWT_SECRET?: string;
  /** Comma-separated browser origins allowed by CORS. */
  CORS_ORIGINS?: string;
  /** The web app's origin, for the links the API hands out (seat invitations). */
  APP_ORIGIN?: string;
  /** Local runs only: `host:port` of scripts/ws-proxy.ts in front of a plain PostgreSQL. */
  NEON_WS_PROXY?: string;
  /** "stripe" turns payments on (with the two secrets below); unset or "none": no payment provider. */
  PAYMENT_PROVIDER?: string;
  STRIPE_SECRET_KEY?: string;
  STRIPE_WEBHOOK_SECRET?: string;
  /** Another Stripe API host (stripe-mock, a local fake); Stripe's own when unset. */
  STRIPE_API_BASE?: string;
  GRACE_DAYS?: string;
  /** The web app's origin, where Checkout and the billing portal return to. */
  APP_URL?: string;
}

/** The part of workerd's ScheduledController the cron reads. */
export interface CronController {
  scheduledTime: number;
  cron: string;
}

type App = ReturnType<typeof createApp>;

const REQUIRED = ["DATABASE_URL", "JWT_SECRET"] as const;

/** Bound by the cron so one invocation stays well inside the Workers CPU and wall-time limits. */
const CRON_BATCH_SIZE = 500;
const CRON_MAX_BATCHES = 10;

// Built on the first request and reused for the isolate's lifetime; the env of an isolate is fixed.
let app: App | undefined;
let payments: PaymentSettings | undefined;

function paymentSettings(env: WorkerEnv): PaymentSettings | undefined {
  payments ??= paymentSettingsFromEnv({ ...env });
  return payments;
}

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

export default {
  fetch(request: Request, env: WorkerEnv, ctx: ExecutionContext): Response | Promise<Response> {
    const missing = missingSettings(env);
    if (missing.length > 0) return configError(missing);
    const databaseUrl = env.DATABASE_URL as string;
    let settings: PaymentSettings | undefined;
    try {
      settings = paymentSettings(env);
    } catch (error) {
      const message = `The API is not configured: ${(error as Error).message}`;
      logJson({ level: "error", msg: "worker.config_invalid", message });
      return Response.json({ success: false, error: { code: "config_error", message } }, { status: 500 });
    }
    app ??= createApp({
      database: { open: () => openDatabase(databaseUrl, env) },
      clock: () => new Date(),
      jwtSecret: env.JWT_SECRET as string,
      corsOrigins: parseOriginList(env.CORS_ORIGINS),
      appOrigin: env.APP_ORIGIN,
      log: logJson,
      payments: settings,
    });
    return app.fetch(request, env, ctx);
  },

  async scheduled(controller: CronController, env: WorkerEnv, ctx: ExecutionContext): Promise<void> {
    if (!env.DATABASE_URL) {
      logJson({ level: "error", msg: "cron.config_missing", missing: ["DATABASE_URL"] });
      throw new Error("DATABASE_URL is not set; the cron cannot run.");
    }
    const now = new Date(controller.scheduledTime);
    const handle = openDatabase(env.DATABASE_URL, env);
    try {
      const result = await runScheduledPass(handle.db, {
        now,
        batchSize: CRON_BATCH_SIZE,
        maxBatches: CRON_MAX_BATCHES,
        payments: paymentsFor({ payments: paymentSettings(env), clock: () => now }),
      });
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
