export interface Measurement {
  id: string;
  name: string;
  target: string;
  /** The ratio (or count) with the raw numbers it came from. */
  measured: string;
  met: boolean;
  notes?: string[];
  /** Why the target is missed and what would meet it; printed only when it is. */
  ifNotMet?: string;
}

export interface Machine {
  cpu: string;
  cores: number;
  memoryGb: number;
  node: string;
  postgres: string;
  date: string;
}

const mark = (met: boolean) => (met ? "met" : "**not met**");
const cell = (text: string) => text.replaceAll("|", "\\|");

export interface RoundTripRow {
  endpoint: string;
  kind: string;
  statements: number;
  transactions: number;
  batches: number;
  outside: number;
  roundTrips: number;
  target: string;
  met: boolean;
}

/** docs/benchmarks.md: what was measured, where, and whether each target holds. */
export function renderReport(machine: Machine, measurements: Measurement[], roundTrips: RoundTripRow[]): string {
  const lines = [
    "# Benchmarks",
    "",
    "Written by `npm run bench` (bench/run.ts); re-run it to refresh this part. Targets are ratios measured",
    "side by side in one run, so a slower or busier machine shifts both sides alike. The section at a",
    "distance at the end is `npm run bench:edge`'s (bench/edge/run.ts); each replaces only its own part.",
    "",
    `- Machine: ${machine.cpu}, ${machine.cores} cores, ${machine.memoryGb} GB memory`,
    `- Node ${machine.node}, PostgreSQL ${machine.postgres}`,
    `- Date: ${machine.date}`,
    "",
    "## Targets",
    "",
    "| # | Benchmark | Target | Measured | |",
    "|---|---|---|---|---|",
    ...measurements.map(
      (m, i) => `| ${i + 1} | ${cell(m.name)} | ${cell(m.target)} | ${cell(m.measured)} | ${mark(m.met)} |`,
    ),
    "",
  ];
  for (const m of measurements.filter((x) => x.notes?.length)) {
    lines.push(`- **${m.id}**: ${m.notes?.join("; ")}`);
  }
  const missed = measurements.filter((m) => !m.met);
  if (missed.length) lines.push("", "## Targets not met: why, and what would meet them", "");
  for (const m of missed) lines.push(`- **${m.id}**: ${m.ifNotMet ?? "no explanation recorded"}`);
  lines.push(
    "",
    "## Round trips per request",
    "",
    "Counted with a Drizzle logger on the real app (`createApp`) over node-postgres (bench/lib/query-counter.ts):",
    'statements are SQL other than BEGIN/COMMIT; "outside" are statements sent outside any transaction;',
    "transactions are interactive ones, batches those of `runBatch` (db/client/batch.ts). Round trips are what a",
    "request waits for on the Worker: a statement or a whole batch is one, an interactive transaction its",
    "BEGIN, each statement and its COMMIT (plus, on the Worker, opening a WebSocket connection).",
    "",
    "| Endpoint | Kind | Statements | Transactions | Batches | Outside | Round trips | Target | |",
    "|---|---|---|---|---|---|---|---|---|",
    ...roundTrips.map(
      (r) =>
        `| \`${r.endpoint}\` | ${r.kind} | ${r.statements} | ${r.transactions} | ${r.batches} | ${r.outside} | ${
          r.roundTrips
        } | ${r.target} | ${mark(r.met)} |`,
    ),
    "",
  );
  return lines.join("\n");
}
