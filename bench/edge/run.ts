import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import pg from "pg";
import { type BenchDatabase, createBenchDatabase, serverUrl } from "../lib/bench-db.ts";
import { describeMachine } from "../lib/machine.ts";
import { REPORT_FILE, writeReportSection } from "../lib/report-file.ts";
import { apiClient } from "./api-client.ts";
import { measureCronDrain } from "./cron-drain.ts";
import { type DelayProxy, startDelayProxy } from "./delay-proxy.ts";
import { type EndpointResult, measureScenario, type Scenario } from "./measure.ts";
import { cronVerdicts, renderEdgeReport, summary } from "./report.ts";
import { accountScenarios } from "./scenarios/account.ts";
import { lifecycleScenarios } from "./scenarios/lifecycle.ts";
import { firstTiersRead, readScenarios } from "./scenarios/reads.ts";
import { seatScenarios, usageScenarios } from "./scenarios/seats-usage.ts";
import { startWorker, type WorkerProcess } from "./worker-process.ts";
import { createWorld } from "./world.ts";

// `npm run bench:edge [-- --rtt 40 --samples 11 --warmup 2 --cron-rows 100000 --port 8820]`: the real
// Worker in workerd with its database at a distance; writes its section of docs/benchmarks.md.
const { values: args } = parseArgs({
  options: {
    rtt: { type: "string", default: process.env.EDGE_RTT_MS || "40" },
    samples: { type: "string", default: "11" },
    warmup: { type: "string", default: "2" },
    "cron-rows": { type: "string", default: "100000" },
    port: { type: "string", default: "8820" },
  },
});
const number = (name: keyof typeof args, min: number) => {
  const value = Number(args[name]);
  if (!Number.isInteger(value) || value < min) throw new Error(`--${name} must be an integer ≥ ${min}`);
  return value;
};
const rttMs = number("rtt", 1);
const samples = number("samples", 1);
const warmup = number("warmup", 0);
const cronRows = number("cron-rows", 1);
const basePort = number("port", 1024);

const runStarted = performance.now();
const elapsed = () => `${((performance.now() - runStarted) / 1000).toFixed(0).padStart(4)} s`;
const say = (text: string) => console.log(`[${elapsed()}] ${text}`);

const machine = await describeMachine();
say(
  `bench:edge at ${rttMs} ms round-trip time; ${machine.cpu} (${machine.cores} cores), PostgreSQL ${machine.postgres}`,
);

const logDir = mkdtempSync(join(tmpdir(), "tierkit-bench-edge-"));
const cleanups: (() => Promise<unknown>)[] = [];
const cleanUp = async () => {
  for (const step of cleanups.splice(0).reverse()) await step().catch((error) => console.error(error));
};
// The Workers run in process groups of their own, so Ctrl-C reaches them only through this.
for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.on(signal, () => void cleanUp().then(() => process.exit(130)));
}

/** The database URL a Worker gets: the bench database, reached through `proxy`. */
function throughProxy(database: BenchDatabase, proxy: DelayProxy): string {
  const url = new URL(database.url);
  url.hostname = "127.0.0.1";
  url.port = String(proxy.port);
  return url.toString();
}

try {
  const database = await createBenchDatabase("edge");
  cleanups.push(() => database.drop());
  const pool = new pg.Pool({ connectionString: database.url, max: 2 });
  // Dropping the database at the end cuts connections that are still closing; that is expected.
  pool.on("error", () => {});
  cleanups.push(() => pool.end());

  const server = new URL(serverUrl());
  const target = { host: server.hostname, port: Number(server.port || 5432) };
  const proxies = {
    near: await startDelayProxy({ target, rttMs: 0 }),
    far: await startDelayProxy({ target, rttMs }),
  };
  cleanups.push(
    () => proxies.near.close(),
    () => proxies.far.close(),
  );

  say(`starting two Workers (database at 0 ms and at ${rttMs} ms; logs in ${logDir})`);
  const start = (name: "near" | "far", offset: number) =>
    startWorker({
      databaseUrl: throughProxy(database, proxies[name]),
      port: basePort + offset,
      inspectorPort: basePort + 2 + offset,
      logFile: join(logDir, `worker-${name}.log`),
    }).then((worker) => {
      cleanups.push(() => worker.stop());
      return worker;
    });
  const [nearWorker, farWorker]: [WorkerProcess, WorkerProcess] = await Promise.all([
    start("near", 0),
    start("far", 1),
  ]);
  const clients = {
    near: apiClient("near", nearWorker.url, () => proxies.near.stats()),
    far: apiClient("far", farWorker.url, () => proxies.far.stats()),
  };
  say(`Workers ready on ${nearWorker.url} and ${farWorker.url}`);

  const results: EndpointResult[] = [];
  const run = async (scenario: Scenario) => {
    for (const result of await measureScenario(scenario, clients, { warmup, samples, rttMs })) {
      results.push(result);
      const times = `${result.nearP50.toFixed(1).padStart(7)} → ${result.farP50.toFixed(1).padStart(7)} ms`;
      const trips = `${result.roundTrips.toFixed(2).padStart(5)} round trips (${result.exchanges.toFixed(1)} counted)`;
      say(`${result.label.padEnd(62)} ${times} ${trips}  ${result.met ? "met" : "NOT MET"}`);
    }
  };
  // Neon's proxy keeps warm connections to the database; so does the local endpoint once it has
  // served a query. A sign-up warms it (and the Worker's isolate) without reading the tier catalog,
  // so the first catalog read below measures the catalog, not the endpoint's first connection.
  for (const client of [clients.near, clients.far]) {
    await client.call("POST", "/api/auth/signup", {
      json: {
        email: `warm-${client.name}-${Date.now()}@example.com`,
        password: "warm-up-password-1",
        display_name: "Warm",
      },
    });
  }
  // Before anything else reads the catalog on either Worker.
  await run(firstTiersRead());
  const world = await createWorld(clients.near, pool);
  for (const scenario of await readScenarios(world)) await run(scenario);
  for (const scenario of [
    ...accountScenarios(world),
    ...lifecycleScenarios(world),
    ...seatScenarios(world),
    ...usageScenarios(world),
  ]) {
    await run(scenario);
  }

  say(`seeding ${cronRows.toLocaleString("en-US")} due rows and triggering the far Worker's cron`);
  const cron = await measureCronDrain({
    rows: cronRows,
    db: pool,
    database: database.name,
    worker: farWorker,
    proxy: proxies.far,
  });
  const verdict = cronVerdicts(cron);
  say(
    `cron: drained ${verdict.drained} of ${cron.dueBefore} due rows in ${(cron.wallMs / 1000).toFixed(1)} s wall, ` +
      `${(cron.cpuMs / 1000).toFixed(2)} s workerd CPU, ${cron.transactions} transactions, ${cron.connections} connections, ` +
      `${cron.exchanges} round trips counted`,
  );

  await cleanUp();
  const report = renderEdgeReport({
    machine,
    rttMs,
    warmup,
    samples,
    results,
    cron,
    totalMs: performance.now() - runStarted,
  });
  console.log("");
  console.table(
    results.map((r) => ({
      endpoint: r.label,
      kind: r.kind,
      "p50 0 ms": Number(r.nearP50.toFixed(1)),
      [`p50 ${rttMs} ms`]: Number(r.farP50.toFixed(1)),
      "round trips": Number(r.roundTrips.toFixed(2)),
      connections: Number(r.connections.toFixed(1)),
      exchanges: Number(r.exchanges.toFixed(1)),
      target: r.target,
      met: r.met,
    })),
  );
  for (const line of summary(results)) console.log(line);
  writeReportSection("bench:edge", report);
  console.log(`written to ${REPORT_FILE} (section bench:edge)`);
} catch (error) {
  await cleanUp();
  console.error(error);
  console.error(`Worker logs: ${logDir}`);
  process.exit(1);
}
