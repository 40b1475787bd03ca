import { createServer, type IncomingMessage } from "node:http";
import { type Answer, errorAnswer, resultOf } from "./neon-http/answer.ts";
import { ConnectionPool } from "./neon-http/connection-pool.ts";
import type { StatementOutcome } from "./neon-http/pg-connection.ts";
import { RequestError, readSqlRequest, type SqlRequest } from "./neon-http/request.ts";

export interface NeonHttp {
  port: number;
  /** POST /sql requests answered so far (lets a test prove which path a client took). */
  readonly requests: number;
  close(): Promise<void>;
}

export interface NeonHttpOptions {
  port?: number;
  host?: string;
  /** Hosts a connection string may name (any port): the endpoint must not reach anything else. */
  allowedHosts?: string[];
  /** Warm connections per connection string (default 10). */
  maxConnectionsPerDatabase?: number;
}

// Neon's default request size limit.
const MAX_BODY_BYTES = 10 * 1024 * 1024;

function readBody(request: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    request.on("data", (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) {
        reject(new RequestError(`the request body exceeds ${MAX_BODY_BYTES} bytes`));
        request.destroy();
      } else chunks.push(chunk);
    });
    request.on("end", () => resolve(Buffer.concat(chunks).toString("utf8")));
    request.on("error", reject);
  });
}

/**
 * A single statement runs in its own implicit transaction. A batch is BEGIN (with the requested
 * isolation level, READ ONLY, DEFERRABLE), the statements and COMMIT, all written at once: one
 * round trip to PostgreSQL. A failing statement aborts the transaction, so the statements after
 * it fail too and COMMIT rolls back, with no further round trip; the answer is the first error.
 */
async function execute(pool: ConnectionPool, request: SqlRequest): Promise<Answer> {
  const statements = request.statements.map(({ statement }) => statement);
  const batch =
    request.begin === undefined
      ? statements
      : [{ text: request.begin, params: [] }, ...statements, { text: "COMMIT", params: [] }];
  const outcomes = await pool.use(request.connectionString, request.target, (connection) => connection.run(batch));
  const failed = outcomes.find((outcome) => outcome.error);
  if (failed) return errorAnswer(failed.error);
  // A batch's outcomes start with its BEGIN.
  const offset = request.begin === undefined ? 0 : 1;
  const results = request.statements.map(({ arrayMode }, i) =>
    resultOf(outcomes[i + offset] as StatementOutcome, arrayMode),
  );
  return { status: 200, body: request.begin === undefined ? results[0] : { results } };
}

/**
 * The SQL-over-HTTP endpoint that Neon runs in front of its databases (`POST /sql`, what the
 * driver's `neon()` client and drizzle's neon-http driver call), for local runs against a plain
 * PostgreSQL: point the driver's `fetchEndpoint` here. Like Neon's proxy it keeps warm connections,
 * so a request costs the database round trips of its statements only.
 */
export function startNeonHttp(options: NeonHttpOptions = {}): Promise<NeonHttp> {
  const allowed = new Set(options.allowedHosts ?? ["127.0.0.1", "localhost"]);
  const pool = new ConnectionPool({
    maxPerDatabase: options.maxConnectionsPerDatabase ?? 10,
    idleTimeoutMs: 30_000,
    connectTimeoutMs: 10_000,
  });
  let requests = 0;

  const server = createServer(async (request, response) => {
    let answer: Answer;
    if (request.method !== "POST" || new URL(request.url ?? "/", "http://endpoint").pathname !== "/sql") {
      answer = { status: 404, body: { message: "not found: the endpoint serves POST /sql" } };
    } else {
      requests += 1;
      try {
        answer = await execute(pool, readSqlRequest(request.headers, await readBody(request), allowed));
      } catch (error) {
        answer = errorAnswer(error);
      }
    }
    response.writeHead(answer.status, { "Content-Type": "application/json" });
    response.end(JSON.stringify(answer.body));
  });

  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 0, options.host ?? "127.0.0.1", () => {
      const address = server.address();
      resolve({
        port: typeof address === "object" && address ? address.port : 0,
        get requests() {
          return requests;
        },
        close: () =>
          new Promise<void>((done) => {
            pool.close();
            server.closeAllConnections();
            server.close(() => done());
          }),
      });
    });
  });
}
