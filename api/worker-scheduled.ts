import type { ExecutionContext } from "hono";
import type { DatabaseHandle } from "../db/client/types.ts";
import { logJson } from "./lib/log-json.ts";
import type { SettingsError } from "./lib/settings/parse.ts";
import { paymentsFor } from "./services/payments/index.ts";
import { runScheduledPass } from "./services/scheduled-pass.ts";
import { type WorkerSettings, workerPaymentSettings } from "./worker-settings.ts";

/** The part of workerd's ScheduledController the cron reads. */
export interface CronController {
  scheduledTime: number;
  cron: string;
}

/**
 * The Worker's cron trigger: one scheduled pass that drains what fell due by the trigger's
 * scheduledTime within CRON_BUDGET (api/services/drain-budget.ts; docs/decisions/014). Every row is
 * judged at that one instant; the budget runs on performance.now, which in workerd advances with
 * the pass's I/O, so it measures the wall time the batches wait on the database.
 */
export async function runScheduledTrigger(
  controller: CronController,
  ctx: ExecutionContext,
  parsed: { settings: WorkerSettings } | { error: SettingsError },
  openDatabase: (settings: WorkerSettings) => Pick<DatabaseHandle, "db" | "close">,
): Promise<void> {
  if ("error" in parsed) {
    logJson({ level: "error", msg: "cron.config_invalid", problems: parsed.error.problems });
    throw parsed.error;
  }
  const now = new Date(controller.scheduledTime);
  const handle = openDatabase(parsed.settings);
  try {
    const result = await runScheduledPass(handle.db, {
      now,
      payments: paymentsFor({ payments: workerPaymentSettings(parsed.settings), clock: () => now }),
    });
    logJson({ level: "info", msg: "cron.processed", cron: controller.cron, now: now.toISOString(), ...result });
  } catch (error) {
    logJson({ level: "error", msg: "cron.failed", cron: controller.cron, now: now.toISOString(), error });
    // Rethrown so the invocation is recorded as failed in the Workers cron history.
    throw error;
  } finally {
    ctx.waitUntil(handle.close().catch(() => {}));
  }
}
