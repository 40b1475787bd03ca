import { CRON_BATCH_SIZE, CRON_BUDGET } from "../api/services/drain-budget.ts";
import { type DueResult, processDue } from "../api/services/subscriptions/index.ts";
import { BARE_EQUIVALENT, BARE_UPDATE } from "./cron-bare-sql.ts";
import { adminQuery, type BenchDatabase, createBenchDatabase, withPool } from "./lib/bench-db.ts";
import type { Measurement } from "./lib/report.ts";
import { timed } from "./lib/timing.ts";
import { DUE_NOW, seedDueSubscriptions } from "./seed/due-subscriptions.ts";

export const DUE_ROWS = 100_000;
/** Each side runs this many times on fresh copies; the fastest run of each counts (noise only adds). */
const ROUNDS = 2;

/**
 * One pass with the cron's own batch size and budget, as one Workers trigger runs it; the CPU time
 * is this process's (the driver parsing answers, as the Worker's does), PostgreSQL's is not in it.
 */
async function runProcessDue(db: BenchDatabase): Promise<Run<DueResult> & { cpuMs: number }> {
  return withPool(db.url, async ({ db: drizzleDb }) => {
    const cpu = process.cpuUsage();
    const run = await timed(() => processDue(drizzleDb, { now: DUE_NOW }));
    const used = process.cpuUsage(cpu);
    return { ...run, cpuMs: (used.user + used.system) / 1000 };
  });
}

interface Run<T> {
  ms: number;
  result: T;
}

const fastest = <R extends { ms: number }>(runs: R[]) => runs.reduce((a, b) => (b.ms < a.ms ? b : a));

/** Runs `statements` in one transaction and returns the rows they changed. */
async function runBare(db: BenchDatabase, statements: string[]) {
  return withPool(db.url, async ({ pool }) =>
    timed(async () => {
      const client = await pool.connect();
      try {
        await client.query("BEGIN");
        let rows = 0;
        for (const statement of statements)
          rows += (await client.query(statement, [DUE_NOW.toISOString()])).rowCount ?? 0;
        await client.query("COMMIT");
        return rows;
      } finally {
        client.release();
      }
    }),
  );
}

export async function measureCronAtScale(): Promise<Measurement[]> {
  const template = await createBenchDatabase("due");
  const seeded = await withPool(template.url, ({ pool }) =>
    timed(async () => {
      const client = await pool.connect();
      try {
        await seedDueSubscriptions(client, DUE_ROWS);
      } finally {
        client.release();
      }
    }),
  );
  const copies: BenchDatabase[] = [];
  const fresh = async () => {
    const copy = await createBenchDatabase("due_copy", { template: template.name });
    copies.push(copy);
    // Start each run with no dirty pages left over from seeding or copying.
    await adminQuery("CHECKPOINT");
    return copy;
  };
  try {
    const runs = {
      update: [] as Run<number>[],
      equivalent: [] as Run<number>[],
      cron: [] as (Run<DueResult> & { cpuMs: number })[],
    };
    for (let round = 0; round < ROUNDS; round += 1) {
      runs.update.push(await runBare(await fresh(), BARE_UPDATE));
      runs.equivalent.push(await runBare(await fresh(), BARE_EQUIVALENT));
      runs.cron.push(await runProcessDue(await fresh()));
    }
    const [update, equivalent, cron] = [fastest(runs.update), fastest(runs.equivalent), fastest(runs.cron)];
    const processed = cron.result.downgraded + cron.result.expired + cron.result.renewed;
    if (processed !== DUE_ROWS || update.result !== DUE_ROWS || cron.result.stoppedBy !== "drained") {
      throw new Error(
        `one cron pass processed ${processed} (${cron.result.stoppedBy}), the bare UPDATEs ${update.result}; both should be ${DUE_ROWS}`,
      );
    }
    const ratio = cron.ms / update.ms;
    const all = (list: Run<unknown>[]) => list.map((r) => fmtMs(r.ms)).join(", ");
    return [
      {
        id: "cron-scale",
        name: `Cron: process due over ${DUE_ROWS.toLocaleString("en")} due rows vs one bare set-based UPDATE`,
        target: "≤ 3× and bounded batches",
        measured: `${ratio.toFixed(2)}× (${fmtMs(cron.ms)} vs ${fmtMs(update.ms)}); one pass, ${
          cron.result.batches
        } batches of ≤ ${CRON_BATCH_SIZE.toLocaleString("en")}`,
        met: ratio <= 3,
        ifNotMet:
          "per due row the cron writes about three times what the bare UPDATE does (a successor row into every index " +
          "of user_subscriptions, the user's row, a history row); against bare set-based SQL making the same writes " +
          "without batches or locks it is within 1.3× (note above), so the batching and locking cost little. What " +
          "would meet it: fewer writes per row (fewer indexes on user_subscriptions, or expiring a row in place instead " +
          "of inserting its successor, which decision 003's one-row-per-period model rules out), not a faster cron loop.",
        notes: [
          `seeded ${DUE_ROWS.toLocaleString(
            "en",
          )} due rows (a third each: cancellations running out, scheduled downgrades, renewals) in ${fmtMs(seeded.ms)}`,
          `processDue: ${cron.result.expired} expired, ${cron.result.downgraded} downgraded, ${cron.result.renewed} renewed in one pass of the cron's budget (${CRON_BUDGET.wallMs / 60_000} min wall, ${CRON_BUDGET.maxBatches.toLocaleString("en")} batches), which stopped because nothing was left due; its CPU time in this process ${fmtMs(cron.cpuMs)} (a Workers invocation may use 30 s by default on the Paid plan)`,
          `the bare UPDATEs only mark the rows; the cron also inserts each successor, re-points its user and writes a history row. The same writes as bare set-based SQL without batches or locks take ${fmtMs(
            equivalent.ms,
          )}: the cron is ${(cron.ms / equivalent.ms).toFixed(2)}× that`,
          `fastest of ${ROUNDS} runs each, on fresh copies after a CHECKPOINT (cron ${all(runs.cron)}; UPDATE ${all(
            runs.update,
          )}; equivalent ${all(runs.equivalent)})`,
        ],
      },
    ];
  } finally {
    for (const copy of copies) await copy.drop();
    await template.drop();
  }
}

export const fmtMs = (ms: number) => (ms >= 1000 ? `${(ms / 1000).toFixed(2)} s` : `${ms.toFixed(ms < 10 ? 2 : 0)} ms`);
