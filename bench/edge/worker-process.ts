import { type ChildProcess, spawn } from "node:child_process";
import { createWriteStream, readdirSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const REPO_ROOT = fileURLToPath(new URL("../../", import.meta.url));
/** Linux reports process times in clock ticks of 1/100 s (USER_HZ) on every architecture Node runs on. */
const TICK_MS = 10;
const READY_TIMEOUT_MS = 90_000;

export interface WorkerProcess {
  url: string;
  /** CPU time (user + system) the workerd processes under this Worker have used so far. */
  cpuMs(): number;
  /** The `cron.processed` log lines the Worker wrote so far, parsed. */
  cronLogs(): Record<string, unknown>[];
  stop(): Promise<void>;
}

function statOf(pid: number): { ppid: number; comm: string; ticks: number } | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    // The command name is in parentheses and may hold spaces; the numeric fields follow the last ")".
    const close = stat.lastIndexOf(")");
    const fields = stat.slice(close + 2).split(" ");
    return {
      ppid: Number(fields[1]),
      comm: stat.slice(stat.indexOf("(") + 1, close),
      ticks: Number(fields[11]) + Number(fields[12]),
    };
  } catch {
    return undefined;
  }
}

/** Every process below `root` in the process tree, found through /proc. */
function descendants(root: number): number[] {
  const children = new Map<number, number[]>();
  for (const entry of readdirSync("/proc")) {
    const pid = Number(entry);
    if (!Number.isInteger(pid)) continue;
    const stat = statOf(pid);
    if (stat) children.set(stat.ppid, [...(children.get(stat.ppid) ?? []), pid]);
  }
  const found: number[] = [];
  const queue = [root];
  while (queue.length) {
    for (const child of children.get(queue.shift() as number) ?? []) {
      found.push(child);
      queue.push(child);
    }
  }
  return found;
}

function exited(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) resolve();
    else child.once("exit", () => resolve());
  });
}

/**
 * The real Worker under `npm run dev:worker` (scripts/dev-worker.ts: workerd via wrangler dev, with
 * whatever stands locally where Neon's proxy would) against `databaseUrl`. Its output goes to
 * `logFile`; it is ready when wrangler says so.
 */
export async function startWorker(options: {
  databaseUrl: string;
  port: number;
  inspectorPort: number;
  logFile: string;
}): Promise<WorkerProcess> {
  const child = spawn(
    `${REPO_ROOT}node_modules/.bin/tsx`,
    [
      "scripts/dev-worker.ts",
      "--ip",
      "127.0.0.1",
      "--inspector-port",
      String(options.inspectorPort),
      // Local state of its own: two wrangler dev sharing .wrangler/state race for its SQLite lock at start-up.
      "--persist-to",
      join(dirname(options.logFile), `state-${options.port}`),
    ],
    {
      cwd: REPO_ROOT,
      env: { ...process.env, DATABASE_URL: options.databaseUrl, PORT: String(options.port) },
      stdio: ["ignore", "pipe", "pipe"],
      // A process group of its own, so stopping it reaches wrangler and workerd below it.
      detached: true,
    },
  );
  const log = createWriteStream(options.logFile);
  let output = "";
  const cronLines: Record<string, unknown>[] = [];
  let ready: () => void = () => {};
  const readyLine = new Promise<void>((resolve) => {
    ready = resolve;
  });
  const onOutput = (chunk: Buffer) => {
    log.write(chunk);
    output += chunk.toString();
    const lines = output.split("\n");
    output = lines.pop() ?? "";
    for (const line of lines) {
      if (line.includes("Ready on http")) ready();
      if (line.includes('"msg":"cron.processed"')) {
        try {
          cronLines.push(JSON.parse(line.slice(line.indexOf("{"))));
        } catch {
          // Not the Worker's JSON log line after all (wrangler may decorate output); the log file has it.
        }
      }
    }
  };
  child.stdout?.on("data", onOutput);
  child.stderr?.on("data", onOutput);

  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null && child.pid) process.kill(-child.pid, "SIGTERM");
    await exited(child);
    log.end();
  };
  let timer: NodeJS.Timeout | undefined;
  try {
    await Promise.race([
      readyLine,
      exited(child).then(() => {
        throw new Error(`the Worker exited before it was ready; see ${options.logFile}`);
      }),
      new Promise((_, reject) => {
        timer = setTimeout(
          () =>
            reject(new Error(`the Worker was not ready after ${READY_TIMEOUT_MS / 1000} s; see ${options.logFile}`)),
          READY_TIMEOUT_MS,
        );
      }),
    ]);
  } catch (error) {
    await stop();
    throw error;
  } finally {
    clearTimeout(timer);
  }

  const root = child.pid as number;
  return {
    url: `http://127.0.0.1:${options.port}`,
    cpuMs: () =>
      descendants(root)
        .map((pid) => statOf(pid))
        .filter((stat) => stat?.comm === "workerd")
        .reduce((sum, stat) => sum + (stat?.ticks ?? 0) * TICK_MS, 0),
    cronLogs: () => [...cronLines],
    stop,
  };
}
