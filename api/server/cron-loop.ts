import type { Database } from "../../db/client/types.ts";
import type { LogEntry } from "../env.ts";
import type { StripeContext } from "../services/payments/index.ts";
import { runScheduledPass, type ScheduledPassResult } from "../services/scheduled-pass.ts";

export const CRON_INTERVAL_MS = 60_000;

export interface CronLoop {
  stop(): Promise<void>;
}

const didWork = (result: ScheduledPassResult) =>
  result.rows +
    result.graceEnded +
    result.graceFailed +
    result.purgedIdempotencyKeys +
    result.purgedRateLimits +
    result.purgedRefreshTokens +
    result.purgedUsageWindows >
    0 || result.more;

/**
 * The Node stand-in for the Workers cron: one scheduled pass a minute, draining within the same
 * budget as a Workers trigger. A pass still running when the next tick comes is not doubled; the
 * timer is unref'd so it never keeps the process alive alone, and stop() ends a long drain after
 * the batch under way rather than waiting out its budget.
 */
export function startCronLoop(options: {
  db: Database;
  clock: () => Date;
  log: (entry: LogEntry) => void;
  intervalMs?: number;
  payments?: StripeContext | null;
}): CronLoop {
  let running: Promise<void> | undefined;
  const stopping = new AbortController();
  const tick = () => {
    if (running) return;
    const now = options.clock();
    running = runScheduledPass(options.db, { now, payments: options.payments, signal: stopping.signal })
      .then((result) => {
        if (didWork(result)) options.log({ level: "info", msg: "cron.processed", now: now.toISOString(), ...result });
      })
      .catch((error: unknown) => options.log({ level: "error", msg: "cron.failed", now: now.toISOString(), error }))
      .finally(() => {
        running = undefined;
      });
  };
  const timer = setInterval(tick, options.intervalMs ?? CRON_INTERVAL_MS);
  timer.unref();
  // The first pass runs at start so a process that was down catches up without waiting a minute.
  tick();
  return {
    stop: async () => {
      clearInterval(timer);
      stopping.abort();
      await running;
    },
  };
}
