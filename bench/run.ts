import { measureAdminAtScale } from "./admin-scale.ts";
import { measureCronAtScale } from "./cron-scale.ts";
import { describeMachine } from "./lib/machine.ts";
import { type Measurement, renderReport } from "./lib/report.ts";
import { REPORT_FILE, writeReportSection } from "./lib/report-file.ts";
import { countRoundTrips, roundTripMeasurements } from "./round-trips.ts";
import { measureThroughput } from "./throughput.ts";
import { measureWebBundle } from "./web-bundle.ts";

// `npm run bench`: every benchmark in one run on the local PostgreSQL (DATABASE_URL, or the default
// postgres://postgres@127.0.0.1:5432/test), each in databases of its own that it drops again.
async function step<T>(label: string, work: () => Promise<T> | T): Promise<T> {
  const started = performance.now();
  process.stdout.write(`${label}… `);
  const result = await work();
  console.log(`${((performance.now() - started) / 1000).toFixed(1)} s`);
  return result;
}

const machine = await describeMachine();
console.log(
  `tierkit benchmarks on ${machine.cpu} (${machine.cores} cores), Node ${machine.node}, PostgreSQL ${machine.postgres}`,
);
const counts = await step("round trips per endpoint", countRoundTrips);
const measurements: Measurement[] = [...roundTripMeasurements(counts)];
measurements.push(...(await step("throughput (the Node entry vs a bare node:http server)", measureThroughput)));
measurements.push(...(await step("cron over 100,000 due rows", measureCronAtScale)));
measurements.push(...(await step("admin list and stats at 1,000,000 subscriptions", measureAdminAtScale)));
measurements.push(...(await step("web bundle", measureWebBundle)));

console.log("");
console.table(
  counts.map((c) => ({
    endpoint: c.endpoint,
    kind: c.kind,
    statements: c.statements,
    transactions: c.transactions,
    batches: c.batches,
    outside: c.outside,
    "round trips": c.roundTrips,
    target: c.target,
    met: c.met,
  })),
);
console.table(measurements.map((m) => ({ benchmark: m.name, target: m.target, measured: m.measured, met: m.met })));
writeReportSection("bench", renderReport(machine, measurements, counts));
console.log(`written to ${REPORT_FILE} (section bench)`);
