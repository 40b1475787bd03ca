import { DrizzleQueryError } from "drizzle-orm";
import type { LogEntry } from "../env.ts";

/**
 * A failed statement's message without its parameters: they carry what users sent and what we
 * store about them (emails, password hashes), which must never reach a log.
 */
function withheldMessage(error: Error): string {
  if (!(error instanceof DrizzleQueryError)) return error.message;
  return `Failed query: ${error.query}\nparams: (${error.params.length} withheld)`;
}

/** An error as a log may hold it: name, message, stack and causes, with statement parameters withheld. */
export function describeError(error: unknown): Record<string, unknown> {
  if (!(error instanceof Error)) return { error: "non-error", message: String(error) };
  const message = withheldMessage(error);
  // The stack starts with the message, so the withheld parameters would reappear there.
  const stack = error.stack?.replace(error.message, message);
  const described: Record<string, unknown> = { error: error.name, message, stack };
  if (error.cause !== undefined)
    described.cause = error.cause instanceof Error ? withheldMessage(error.cause) : String(error.cause);
  return described;
}

/**
 * One JSON object per line, which Workers Logs and most Node log shippers index field by field.
 * Error values are described by describeError, so a caller cannot log a statement's parameters.
 */
export function logJson(entry: LogEntry): void {
  const safe = Object.fromEntries(
    Object.entries(entry).map(([key, value]) => [key, value instanceof Error ? describeError(value) : value]),
  );
  const line = JSON.stringify({ time: new Date().toISOString(), ...safe });
  if (entry.level === "error") console.error(line);
  else if (entry.level === "warn") console.warn(line);
  else console.log(line);
}
