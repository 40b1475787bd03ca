import type { Machine } from "../lib/report.ts";
import type { CronDrain } from "./cron-drain.ts";
import type { EndpointResult } from "./measure.ts";

/** Workers' published per-invocation limits (developers.cloudflare.com/workers/platform/limits). */
export const WORKERS_LIMITS = {
  paidCpuMs: 30_000,
  freeCpuMs: 10,
  cronWallMs: 15 * 60_000,
  paidSubrequests: 10_000,
  freeSubrequests: 50,
};

export interface EdgeRun {
  machine: Machine;
  rttMs: number;
  warmup: number;
  samples: number;
  results: EndpointResult[];
  cron: CronDrain;
  totalMs: number;
}

const mark = (met: boolean) => (met ? "met" : "**not met**");
const ms = (value: number) => `${value.toFixed(1)} ms`;
const seconds = (value: number) => `${(value / 1000).toFixed(1)} s`;
const count = (value: number) => value.toLocaleString("en-US");
const counted = (value: number, noun: string) => `${count(value)} ${noun}${value === 1 ? "" : "s"}`;

export function summary(results: EndpointResult[]) {
  const of = (kinds: string[]) => results.filter((r) => kinds.includes(r.kind));
  const line = (name: string, rows: EndpointResult[]) =>
    `${name}: ${rows.filter((r) => r.met).length} of ${rows.length} at target` +
    (rows.length ? `, worst ${Math.max(...rows.map((r) => r.roundTrips)).toFixed(2)} round trips` : "");
  return [
    line("Reads (≤ 1.2)", of(["read"])),
    line("Changes (≤ 2.2)", of(["change"])),
    line("Warm catalog (0)", of(["cached"])),
  ];
}

export function cronVerdicts(cron: CronDrain) {
  const drained = cron.dueBefore - cron.dueAfter;
  return {
    drained,
    all: cron.dueAfter === 0,
    paidCpu: cron.cpuMs <= WORKERS_LIMITS.paidCpuMs,
    wall: cron.wallMs <= WORKERS_LIMITS.cronWallMs,
    subrequests: cron.transactions + cron.connections,
  };
}

const paragraph = (...sentences: string[]) => sentences.join(" ");

function cronTable(cron: CronDrain, rttMs: number): string[] {
  const verdict = cronVerdicts(cron);
  const onPlans = (paid: boolean, free: boolean) => `${mark(paid)} on Paid, ${mark(free)} on Free`;
  const worker = cron.workerLog;
  const logged = worker
    ? ["expired", "downgraded", "renewed", "batches", "more"].map((f) => `${f} ${String(worker[f])}`).join(", ")
    : "nothing (no cron.processed line)";
  return [
    `### Cron: one trigger over ${count(cron.seeded)} due rows at ${rttMs} ms`,
    "",
    paragraph(
      `${count(cron.seeded)} due subscriptions (bench/seed/due-subscriptions.ts: a third each of cancellations running`,
      `out, scheduled downgrades and renewals) were seeded into the database in ${seconds(cron.seedMs)}, then the far`,
      "Worker's scheduled handler ran once (`/__scheduled`, `wrangler dev --test-scheduled`). CPU time is the user +",
      "system time of the workerd processes during the trigger (/proc), which also counts the runtime's own I/O",
      "work: an upper bound on what Workers bills. Subrequests are at most the transactions the database ran plus",
      "the connections opened (over HTTP each statement or batch is one fetch; over WebSocket each connection is",
      `one). The proxy counted ${count(cron.exchanges)} round trips to the database. The Worker logged: ${logged}.`,
    ),
    "",
    "| Measure | Measured | Workers limit | |",
    "|---|---|---|---|",
    `| Due rows drained | ${count(verdict.drained)} of ${count(cron.dueBefore)} (${count(cron.dueAfter)} left) | all, in one trigger | ${mark(verdict.all)} |`,
    `| Wall time | ${seconds(cron.wallMs)} | 15 min per cron trigger | ${mark(verdict.wall)} |`,
    `| CPU time (workerd) | ${(cron.cpuMs / 1000).toFixed(2)} s | Paid 30 s by default (up to 5 min with \`limits.cpu_ms\`); Free 10 ms | ${onPlans(
      verdict.paidCpu,
      cron.cpuMs <= WORKERS_LIMITS.freeCpuMs,
    )} |`,
    `| Subrequests | ≤ ${count(verdict.subrequests)} (${counted(cron.transactions, "transaction")}, ${counted(
      cron.connections,
      "connection",
    )}) | Paid 10,000; Free 50 | ${onPlans(
      verdict.subrequests <= WORKERS_LIMITS.paidSubrequests,
      verdict.subrequests <= WORKERS_LIMITS.freeSubrequests,
    )} |`,
    "",
  ];
}

/** The bench:edge section of docs/benchmarks.md. */
export function renderEdgeReport(run: EdgeRun): string {
  const { machine, rttMs } = run;
  return [
    `## At a distance: the Worker in workerd, ${rttMs} ms from its database`,
    "",
    paragraph(
      "Written by `npm run bench:edge` (bench/edge/run.ts; `--rtt` or EDGE_RTT_MS sets the distance). The real",
      "Worker runs twice under `npm run dev:worker` (workerd via `wrangler dev`) against one local PostgreSQL",
      "database behind two delay proxies (bench/edge/delay-proxy.ts): one adds nothing, the other delays every",
      `chunk by ${rttMs / 2} ms each way and holds a new TCP connection for ${rttMs} ms before its first byte.`,
      "Whatever stands locally where Neon's proxy would (the WebSocket relay, or a SQL-over-HTTP endpoint)",
      "connects to PostgreSQL through the delay proxy. Each endpoint is timed as the p50 of",
      `${counted(run.samples, "sequential request")} after ${counted(run.warmup, "warm-up")}, alternating between`,
      `the two Workers; round trips = (p50 at ${rttMs} ms − p50 at 0 ms) / ${rttMs} ms, which the targets judge.`,
    ),
    "",
    paragraph(
      '"Counted" are the round trips the delay proxy saw per request: a new connection\'s handshake, and every',
      "burst from the Worker's side that PostgreSQL answered. It is the same figure without the timing noise of a",
      'shared machine, though it counts connections used side by side as if one followed the other. "New',
      'connections" are TCP connections to the database per request. Each change runs on a user put in the right',
      "state through the API (by the Worker with no delay, untimed); changes that undo each other share a user.",
    ),
    "",
    `- Machine: ${machine.cpu}, ${machine.cores} cores; Node ${machine.node}, PostgreSQL ${machine.postgres}`,
    `- Date: ${machine.date}; the whole run took ${seconds(run.totalMs)}`,
    ...summary(run.results).map((line) => `- ${line}`),
    "",
    `| Endpoint | Kind | p50 at 0 ms | p50 at ${rttMs} ms | Round trips | Counted | New connections | Target | |`,
    "|---|---|---|---|---|---|---|---|---|",
    ...run.results
      .map((r) =>
        [
          `\`${r.label}\``,
          r.kind,
          ms(r.nearP50),
          ms(r.farP50),
          r.roundTrips.toFixed(2),
          r.exchanges.toFixed(1),
          r.connections.toFixed(1),
          r.target,
          mark(r.met),
        ].join(" | "),
      )
      .map((row) => `| ${row} |`),
    "",
    ...cronTable(run.cron, rttMs),
  ].join("\n");
}
