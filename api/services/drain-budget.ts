/**
 * How long one scheduled pass may keep claiming batches. The numbers are sized for a Workers cron
 * trigger, the tightest place a pass runs (docs/decisions/014-cron-drain-budget.md).
 */
export interface DrainBudget {
  /** Wall-clock milliseconds the batches may take together. */
  wallMs: number;
  /** No more batches than this whatever the clock says: each one costs the Worker subrequests. */
  maxBatches: number;
  /**
   * Monotonic milliseconds (performance.now), read once before the first batch and once after
   * each. Not the business clock: every row of a pass is judged at the pass's one `now`.
   */
  timer: () => number;
  /** Aborted when the process shuts down: the batch under way commits, no new one starts. */
  signal?: AbortSignal;
}

/**
 * Why a drain stopped: nothing left that was due, the budget would not fit another batch, or the
 * process is shutting down.
 */
export type DrainStop = "drained" | "time_budget" | "batch_cap" | "aborted";

export interface Drained {
  batches: number;
  /** Whole milliseconds: a log line, not a measurement. */
  elapsedMs: number;
  stoppedBy: DrainStop;
}

/**
 * 2,000 rows a batch: at a distance from the database a batch costs a handful of round trips
 * whatever its size, so larger batches drain faster, while the rows one batch locks (a user's own
 * change waits for them) stay held for about a second at most at 40 ms of round trip.
 */
export const CRON_BATCH_SIZE = 2_000;

/**
 * Five minutes of wall time, a third of what a Workers cron trigger may run, leaving room for the
 * rest of the pass. At most 500 batches: two subrequests each at most (1,000 of the Paid plan's
 * 10,000), and at most 2,000,000 rows, whose CPU time (4–7 µs a row measured) stays well inside
 * the default 30 s.
 */
export const CRON_BUDGET: DrainBudget = { wallMs: 5 * 60_000, maxBatches: 500, timer: () => performance.now() };

/** CRON_BUDGET with whichever parts a caller (a test, the Node cron) set itself. */
export const cronBudget = (given: Partial<DrainBudget>): DrainBudget => ({
  wallMs: given.wallMs ?? CRON_BUDGET.wallMs,
  maxBatches: given.maxBatches ?? CRON_BUDGET.maxBatches,
  timer: given.timer ?? CRON_BUDGET.timer,
  signal: given.signal,
});

/**
 * Runs `batch` until it reports that it found less than a full batch, or the budget would not fit
 * another: a new batch starts only if the time spent so far plus the slowest batch yet (the estimate
 * of the next) stays within `wallMs`, so a pass stops before it overruns rather than after. A pass
 * that stops leaves the rest due; the next one continues there.
 */
export async function drainWithin(budget: DrainBudget, batch: () => Promise<"full" | "short">): Promise<Drained> {
  const started = budget.timer();
  let elapsedMs = 0;
  let slowestMs = 0;
  let batches = 0;
  const stop = (stoppedBy: DrainStop): Drained => ({ batches, elapsedMs: Math.round(elapsedMs), stoppedBy });
  for (;;) {
    if (budget.signal?.aborted) return stop("aborted");
    if (batches >= budget.maxBatches) return stop("batch_cap");
    if (elapsedMs + slowestMs > budget.wallMs) return stop("time_budget");
    const outcome = await batch();
    batches += 1;
    const now = budget.timer() - started;
    slowestMs = Math.max(slowestMs, now - elapsedMs);
    elapsedMs = now;
    if (outcome === "short") return stop("drained");
  }
}
