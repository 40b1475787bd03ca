// Signs that the database could not be reached (as opposed to a query that failed), so the API can
// answer 503 with Retry-After instead of 500. Drivers wrap these in DrizzleQueryError (`cause`),
// Node in AggregateError (`errors`), the ws library in an ErrorEvent (`error`), Neon's HTTP client
// in a NeonDbError (`sourceError`); all are walked.

const NETWORK_CODES = new Set([
  "ECONNREFUSED",
  "ECONNRESET",
  "ETIMEDOUT",
  "EHOSTUNREACH",
  "ENETUNREACH",
  "ENOTFOUND",
  "EAI_AGAIN",
  "EPIPE",
]);

// SQLSTATE: admin_shutdown, crash_shutdown, cannot_connect_now, too_many_connections.
const SERVER_CODES = new Set(["57P01", "57P02", "57P03", "53300"]);

// pg, the Neon Pool (a pg fork) and PGlite raise these as plain Errors without a code.
const DRIVER_MESSAGES = [
  /^Connection terminated/,
  /timeout exceeded when trying to connect/,
  /Client has encountered a connection error and is not queryable/,
  /Cannot use a pool after calling end on the pool/,
  /^PGlite is closed/,
  /All attempts to open a WebSocket to connect to the database failed/,
  // Neon's HTTP client: the fetch failed, or Neon's proxy answered 5xx (it could not reach the database).
  /^Error connecting to database/,
  /^Server error \(HTTP status 5\d\d\)/,
];

/** The Neon driver rejects with the WebSocket's own error event when the socket fails. */
function isSocketErrorEvent(value: object): boolean {
  if (typeof Event !== "undefined" && value instanceof Event) return value.type === "error";
  const candidate = value as { type?: unknown; target?: unknown };
  return candidate.type === "error" && typeof candidate.target === "object" && candidate.target !== null;
}

function isUnavailableSignal(value: object): boolean {
  const { code, message } = value as { code?: unknown; message?: unknown };
  if (typeof code === "string") {
    if (NETWORK_CODES.has(code) || SERVER_CODES.has(code) || code.startsWith("08")) return true;
  }
  if (typeof message === "string" && DRIVER_MESSAGES.some((pattern) => pattern.test(message))) return true;
  return isSocketErrorEvent(value);
}

export function isDatabaseUnavailable(error: unknown): boolean {
  const pending: unknown[] = [error];
  const seen = new Set<unknown>();
  while (pending.length) {
    const value = pending.pop();
    if (typeof value !== "object" || value === null || seen.has(value)) continue;
    seen.add(value);
    if (isUnavailableSignal(value)) return true;
    const {
      cause,
      error: inner,
      errors,
      sourceError,
    } = value as {
      cause?: unknown;
      error?: unknown;
      errors?: unknown;
      sourceError?: unknown;
    };
    pending.push(cause, inner, sourceError);
    if (Array.isArray(errors)) pending.push(...errors);
  }
  return false;
}
