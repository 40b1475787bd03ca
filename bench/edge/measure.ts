import type { Answer, ApiClient } from "./api-client.ts";

export type Kind = "read" | "change" | "cached";

export interface Endpoint {
  label: string;
  kind: Kind;
}

/** One iteration on one Worker: the answers to the requests it times, by endpoint label. */
export type Round = () => Promise<Record<string, Answer>>;

/**
 * Endpoints measured together: `start` prepares what one Worker's run needs (through the setup
 * client, untimed) and returns the round to repeat there. Endpoints that undo each other (cancel
 * and resume) share a scenario, so each round leaves the user ready for the next.
 */
export interface Scenario {
  endpoints: Endpoint[];
  start(target: ApiClient): Promise<Round>;
  /** Overrides the run's warm-up and sample counts (a first request happens once per Worker). */
  rounds?: { warmup: number; samples: number };
}

export interface EndpointResult extends Endpoint {
  samples: number;
  nearP50: number;
  farP50: number;
  roundTrips: number;
  /** Means per request at distance: new database connections, and round trips counted by the proxy. */
  connections: number;
  exchanges: number;
  target: string;
  met: boolean;
}

/** Targets of issue 10. For "0", one round trip would show as 1; less than half of one is timing noise. */
export function judge(kind: Kind, roundTrips: number): { target: string; met: boolean } {
  if (kind === "cached") return { target: "0", met: roundTrips < 0.5 };
  if (kind === "read") return { target: "≤ 1.2", met: roundTrips <= 1.2 };
  return { target: "≤ 2.2", met: roundTrips <= 2.2 };
}

const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2
    ? (sorted[middle] as number)
    : ((sorted[middle - 1] as number) + (sorted[middle] as number)) / 2;
};

/** Runs the scenario on both Workers in alternation, so drift on a shared machine hits both sides alike. */
export async function measureScenario(
  scenario: Scenario,
  workers: { near: ApiClient; far: ApiClient },
  options: { warmup: number; samples: number; rttMs: number },
): Promise<EndpointResult[]> {
  const { warmup, samples } = scenario.rounds ?? options;
  const nearRound = await scenario.start(workers.near);
  const farRound = await scenario.start(workers.far);
  const near = new Map<string, number[]>(scenario.endpoints.map((e) => [e.label, []]));
  const far = new Map<string, Answer[]>(scenario.endpoints.map((e) => [e.label, []]));
  for (let i = 0; i < warmup + samples; i += 1) {
    const nearAnswers = await nearRound();
    const farAnswers = await farRound();
    if (i < warmup) continue;
    for (const { label } of scenario.endpoints) {
      const [a, b] = [nearAnswers[label], farAnswers[label]];
      if (!a || !b) throw new Error(`the round of ${label} did not time it`);
      near.get(label)?.push(a.ms);
      far.get(label)?.push(b);
    }
  }
  return scenario.endpoints.map(({ label, kind }) => {
    const farAnswers = far.get(label) as Answer[];
    const nearP50 = median(near.get(label) as number[]);
    const farP50 = median(farAnswers.map((a) => a.ms));
    const roundTrips = options.rttMs > 0 ? (farP50 - nearP50) / options.rttMs : 0;
    const mean = (pick: (a: Answer) => number) => farAnswers.reduce((sum, a) => sum + pick(a), 0) / farAnswers.length;
    const [connections, exchanges] = [mean((a) => a.connections), mean((a) => a.exchanges)];
    return { label, kind, samples, nearP50, farP50, roundTrips, connections, exchanges, ...judge(kind, roundTrips) };
  });
}
