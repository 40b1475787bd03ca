import { describe, expect, it } from "vitest";
import { CRON_BUDGET, type DrainBudget, drainWithin } from "../../api/services/drain-budget.ts";

/**
 * Batches that take the given times on a fake monotonic clock, then report "short" (nothing more
 * due) once `fullBatches` have run: no database, no sleeping.
 */
function fakeBatches(durations: number[], fullBatches = Number.POSITIVE_INFINITY) {
  let clock = 0;
  let ran = 0;
  return {
    timer: () => clock,
    ran: () => ran,
    batch: async () => {
      clock += durations[ran % durations.length] ?? 0;
      ran += 1;
      return ran > fullBatches ? ("short" as const) : ("full" as const);
    },
  };
}

const budget = (parts: Partial<DrainBudget> & Pick<DrainBudget, "timer">): DrainBudget => ({
  ...CRON_BUDGET,
  ...parts,
});

describe("drainWithin", () => {
  it("starts a batch only while the time so far plus the slowest batch yet fits the budget", async () => {
    const fake = fakeBatches([100, 300, 200, 250]);
    const drained = await drainWithin(budget({ wallMs: 700, timer: fake.timer }), fake.batch);
    // Before the 3rd batch: 400 ms spent + 300 (slowest) = 700 fits; before the 4th: 600 + 300 does not.
    expect(drained).toEqual({ batches: 3, elapsedMs: 600, stoppedBy: "time_budget" });
    expect(fake.ran()).toBe(3);
  });

  it("never overruns the budget when batches keep their pace", async () => {
    const fake = fakeBatches([90]);
    const drained = await drainWithin(budget({ wallMs: 1_000, timer: fake.timer }), fake.batch);
    expect(drained).toEqual({ batches: 11, elapsedMs: 990, stoppedBy: "time_budget" });
  });

  it("stops as soon as a batch comes back short, however much budget is left", async () => {
    const fake = fakeBatches([50], 4);
    const drained = await drainWithin(budget({ wallMs: 60_000, timer: fake.timer }), fake.batch);
    expect(drained).toEqual({ batches: 5, elapsedMs: 250, stoppedBy: "drained" });
  });

  it("always runs a first batch, and caps the count whatever the clock says", async () => {
    const slow = fakeBatches([5_000]);
    expect(await drainWithin(budget({ wallMs: 1_000, timer: slow.timer }), slow.batch)).toEqual({
      batches: 1,
      elapsedMs: 5_000,
      stoppedBy: "time_budget",
    });
    const fast = fakeBatches([0]);
    expect(await drainWithin(budget({ maxBatches: 7, timer: fast.timer }), fast.batch)).toEqual({
      batches: 7,
      elapsedMs: 0,
      stoppedBy: "batch_cap",
    });
  });

  it("finishes the batch under way and starts no other once its signal is aborted", async () => {
    const stopping = new AbortController();
    const fake = fakeBatches([10]);
    const drained = await drainWithin(budget({ timer: fake.timer, signal: stopping.signal }), async () => {
      const outcome = await fake.batch();
      if (fake.ran() === 2) stopping.abort();
      return outcome;
    });
    expect(drained).toEqual({ batches: 2, elapsedMs: 20, stoppedBy: "aborted" });
  });
});
