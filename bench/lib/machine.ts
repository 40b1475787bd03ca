import { cpus, totalmem } from "node:os";
import { serverVersion } from "./bench-db.ts";
import type { Machine } from "./report.ts";

export async function describeMachine(): Promise<Machine> {
  const cores = cpus();
  return {
    cpu: cores[0]?.model.trim() ?? "unknown CPU",
    cores: cores.length,
    memoryGb: Math.round(totalmem() / 1024 ** 3),
    node: process.versions.node,
    postgres: await serverVersion(),
    date: new Date().toISOString().replace(/\.\d+Z$/, "Z"),
  };
}
