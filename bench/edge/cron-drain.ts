import { readFileSync } from "node:fs";
import { setTimeout as wait } from "node:timers/promises";
import { fileURLToPath } from "node:url";
import type pg from "pg";
import { CURRENT_STATUS_LIST } from "../../db/schema.ts";
import { adminQuery } from "../lib/bench-db.ts";
import { seedDueSubscriptions } from "../seed/due-subscriptions.ts";
import type { DelayProxy } from "./delay-proxy.ts";
import type { WorkerProcess } from "./worker-process.ts";

export interface CronDrain {
  seeded: number;
  seedMs: number;
  dueBefore: number;
  dueAfter: number;
  wallMs: number;
  cpuMs: number;
  /** Transactions the database committed or rolled back during the trigger. */
  transactions: number;
  /** New TCP connections to the database during the trigger, and the round trips counted by the proxy. */
  connections: number;
  exchanges: number;
  /** The Worker's own `cron.processed` log line, when it wrote one. */
  workerLog?: Record<string, unknown>;
}

/** The cron expression wrangler.toml schedules; the trigger names it as Cloudflare would. */
function scheduledCron(): string {
  const toml = readFileSync(fileURLToPath(new URL("../../wrangler.toml", import.meta.url)), "utf8");
  const cron = /crons\s*=\s*\[\s*"([^"]+)"/.exec(toml)?.[1];
  if (!cron) throw new Error("wrangler.toml schedules no cron");
  return cron;
}

/** Rows the cron would take now: subscriptions that ran out, and paid periods to roll forward. */
async function dueRows(db: pg.Pool): Promise<number> {
  const { rows } = await db.query<{ due: string }>(
    `SELECT count(*) AS due FROM user_subscriptions
     WHERE (status IN (${CURRENT_STATUS_LIST}) AND ends_at IS NOT NULL AND ends_at <= now())
        OR (status = 'active' AND ends_at IS NULL AND billing_cycle IS NOT NULL AND payment_provider IS NULL
            AND current_period_end <= now())`,
  );
  return Number(rows[0]?.due ?? 0);
}

/**
 * Transactions of `database` in pg_stat_database. Backends publish their counts when idle (within
 * about a second), so this reads until the figure holds still.
 */
async function settledTransactions(database: string): Promise<number> {
  let last = -1;
  for (let attempt = 0; attempt < 20; attempt += 1) {
    const [row] = await adminQuery<{ n: string }>(
      `SELECT xact_commit + xact_rollback AS n FROM pg_stat_database WHERE datname = '${database}'`,
    );
    const n = Number(row?.n ?? 0);
    if (n === last) return n;
    last = n;
    await wait(700);
  }
  return last;
}

/**
 * Seeds `rows` due subscriptions (bench/seed/due-subscriptions.ts) into the database behind the
 * far proxy and fires the Worker's scheduled handler once (`wrangler dev --test-scheduled`): its
 * wall time, the workerd CPU time it used, and how much of the backlog it drained.
 */
export async function measureCronDrain(options: {
  rows: number;
  db: pg.Pool;
  database: string;
  worker: WorkerProcess;
  proxy: DelayProxy;
}): Promise<CronDrain> {
  const { db, worker, proxy } = options;
  const seedStarted = performance.now();
  const client = await db.connect();
  try {
    await seedDueSubscriptions(client, options.rows);
  } finally {
    client.release();
  }
  const seedMs = performance.now() - seedStarted;
  const dueBefore = await dueRows(db);

  const logsBefore = worker.cronLogs().length;
  const transactionsBefore = await settledTransactions(options.database);
  const proxyBefore = proxy.stats();
  const cpuBefore = worker.cpuMs();
  const started = performance.now();
  const res = await fetch(`${worker.url}/__scheduled?cron=${encodeURIComponent(scheduledCron())}`);
  const answer = await res.text();
  const wallMs = performance.now() - started;
  const cpuMs = worker.cpuMs() - cpuBefore;
  const proxyAfter = proxy.stats();
  if (!res.ok) throw new Error(`the scheduled handler answered ${res.status}: ${answer.slice(0, 300)}`);
  const transactions = (await settledTransactions(options.database)) - transactionsBefore;
  const dueAfter = await dueRows(db);
  return {
    seeded: options.rows,
    seedMs,
    dueBefore,
    dueAfter,
    wallMs,
    cpuMs,
    transactions,
    connections: proxyAfter.connections - proxyBefore.connections,
    exchanges: proxyAfter.exchanges - proxyBefore.exchanges,
    workerLog: worker.cronLogs()[logsBefore],
  };
}
