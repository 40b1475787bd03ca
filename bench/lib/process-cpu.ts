import { readFileSync } from "node:fs";

/**
 * CPU time (user + system, every thread) a process has used so far, in milliseconds; undefined
 * where there is no /proc (not Linux). Linux counts it in clock ticks of 10 ms (USER_HZ is 100).
 */
export function processCpuMs(pid: number | undefined): number | undefined {
  if (pid === undefined) return undefined;
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    // After the command name in parentheses: state, ppid, …, utime (12th), stime (13th).
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    return (Number(fields[11]) + Number(fields[12])) * 10;
  } catch {
    return undefined;
  }
}
