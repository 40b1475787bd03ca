import type { IncomingHttpHeaders } from "node:http";
import type { PgTarget, Statement } from "./pg-connection.ts";

/** A request the endpoint refuses before reaching PostgreSQL; Neon answers these 400 as well. */
export class RequestError extends Error {}

export interface SqlRequest {
  /** The pool key: one set of warm connections per connection string, as on Neon. */
  connectionString: string;
  target: PgTarget;
  statements: { statement: Statement; arrayMode: boolean }[];
  /** Set for `{ queries: [...] }`: the statements run in one transaction opened by this BEGIN. */
  begin?: string;
}

const ISOLATION_LEVELS: Record<string, string> = {
  Serializable: "SERIALIZABLE",
  RepeatableRead: "REPEATABLE READ",
  ReadCommitted: "READ COMMITTED",
  ReadUncommitted: "READ UNCOMMITTED",
};

const header = (headers: IncomingHttpHeaders, name: string) => {
  const value = headers[name.toLowerCase()];
  return Array.isArray(value) ? value[0] : value;
};

// Like Neon: anything but exactly "true" is false.
const flag = (headers: IncomingHttpHeaders, name: string) => header(headers, name) === "true";

function targetOf(connectionString: string | undefined, allowedHosts: Set<string>): PgTarget {
  if (!connectionString) throw new RequestError("missing the Neon-Connection-String header");
  let url: URL;
  try {
    url = new URL(connectionString);
  } catch {
    throw new RequestError("Neon-Connection-String is not a valid URL");
  }
  if (url.protocol !== "postgres:" && url.protocol !== "postgresql:") {
    throw new RequestError("Neon-Connection-String must be a postgres:// or postgresql:// URL");
  }
  const host = url.hostname.replace(/^\[(.*)\]$/, "$1");
  if (!allowedHosts.has(host)) throw new RequestError(`host not allowed: ${host}`);
  const database = decodeURIComponent(url.pathname.slice(1));
  if (!url.username || !database) throw new RequestError("Neon-Connection-String must name a user and a database");
  return {
    host,
    port: url.port ? Number(url.port) : 5432,
    user: decodeURIComponent(url.username),
    password: url.password ? decodeURIComponent(url.password) : undefined,
    database,
    applicationName: url.searchParams.get("application_name") ?? undefined,
  };
}

/** A JSON parameter as PostgreSQL text, the way Neon's endpoint converts it. */
function pgText(value: unknown, inArray = false): string | null {
  if (value === null || value === undefined) return inArray ? "NULL" : null;
  if (Array.isArray(value)) return `{${value.map((item) => pgText(item, true)).join(",")}}`;
  const text = typeof value === "object" ? JSON.stringify(value) : String(value);
  return inArray && typeof value !== "number" && typeof value !== "boolean"
    ? `"${text.replaceAll("\\", "\\\\").replaceAll('"', '\\"')}"`
    : text;
}

function statementOf(value: unknown, defaultArrayMode: boolean): SqlRequest["statements"][number] {
  const { query, params = [], arrayMode } = (value ?? {}) as { query?: unknown; params?: unknown; arrayMode?: unknown };
  if (typeof query !== "string") throw new RequestError("each query needs a `query` string");
  if (!Array.isArray(params)) throw new RequestError("`params` must be an array");
  return {
    statement: { text: query, params: params.map((param) => pgText(param)) },
    arrayMode: typeof arrayMode === "boolean" ? arrayMode : defaultArrayMode,
  };
}

/**
 * Reads what @neondatabase/serverless sends to POST /sql: the connection string and options in
 * headers, `{ query, params }` or `{ queries: [...] }` (a transaction) in the body.
 */
export function readSqlRequest(headers: IncomingHttpHeaders, body: string, allowedHosts: Set<string>): SqlRequest {
  const connectionString = header(headers, "Neon-Connection-String");
  const target = targetOf(connectionString, allowedHosts);
  // The driver always asks for raw text and parses the values itself; Neon's JSON conversion is not reproduced.
  if (!flag(headers, "Neon-Raw-Text-Output")) {
    throw new RequestError("this endpoint answers with raw text only: send Neon-Raw-Text-Output: true");
  }
  const arrayMode = flag(headers, "Neon-Array-Mode");
  let payload: unknown;
  try {
    payload = JSON.parse(body);
  } catch {
    throw new RequestError("the body is not JSON");
  }
  const queries = (payload as { queries?: unknown } | null)?.queries;
  if (queries === undefined) {
    return { connectionString: connectionString as string, target, statements: [statementOf(payload, arrayMode)] };
  }
  if (!Array.isArray(queries)) throw new RequestError("`queries` must be an array");
  const level = header(headers, "Neon-Batch-Isolation-Level");
  if (level !== undefined && !Object.hasOwn(ISOLATION_LEVELS, level)) throw new RequestError("invalid isolation level");
  const modes = [
    level && `ISOLATION LEVEL ${ISOLATION_LEVELS[level]}`,
    flag(headers, "Neon-Batch-Read-Only") && "READ ONLY",
    flag(headers, "Neon-Batch-Deferrable") && "DEFERRABLE",
  ].filter(Boolean);
  return {
    connectionString: connectionString as string,
    target,
    statements: queries.map((query) => statementOf(query, arrayMode)),
    begin: ["BEGIN", modes.join(", ")].filter(Boolean).join(" "),
  };
}
