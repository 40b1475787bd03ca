import type { LogEntry } from "../env.ts";

/** One JSON object per line, which Workers Logs and most Node log shippers index field by field. */
export function logJson(entry: LogEntry): void {
  const line = JSON.stringify({ time: new Date().toISOString(), ...entry });
  if (entry.level === "error") console.error(line);
  else if (entry.level === "warn") console.warn(line);
  else console.log(line);
}
