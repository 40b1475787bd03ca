import { drizzle } from "drizzle-orm/node-postgres";
import { migrate } from "drizzle-orm/node-postgres/migrator";
import pg from "pg";
import * as schema from "../schema.ts";
import { MIGRATIONS_FOLDER } from "./migrations-folder.ts";
import type { Database, DatabaseHandle } from "./types.ts";

export interface NodePostgresHandle extends DatabaseHandle {
  pool: pg.Pool;
  migrate(folder?: string): Promise<void>;
}

export function openNodePostgres(
  url: string,
  options: { max?: number; connectionTimeoutMillis?: number } = {},
): NodePostgresHandle {
  const pool = new pg.Pool({
    connectionString: url,
    max: options.max ?? 10,
    connectionTimeoutMillis: options.connectionTimeoutMillis ?? 3000,
  });
  // An idle client that loses its server must not crash the process; the next query reconnects.
  pool.on("error", () => {});
  // pg-pool listens only on idle clients: one checked out (mid-transaction) when the server goes
  // emits "error" with no listener, an uncaught exception that kills the process. The query itself
  // already fails with that error, and the pool discards the broken client on release.
  pool.on("connect", (client) => client.on("error", () => {}));
  const db = drizzle({ client: pool, schema }) as unknown as Database;
  // Drizzle's transaction on a Pool releases its client only once BEGIN has succeeded: a connection
  // that died on BEGIN stayed checked out, and a few such blips left the pool with none to hand out.
  // Here the client is checked out around Drizzle's transaction and always released; pg-pool discards
  // one whose connection ended. No relational queries run in transactions, so they need no schema.
  db.transaction = (async (work, config) => {
    const client = await pool.connect();
    try {
      return await (drizzle({ client }) as unknown as Database).transaction(work, config);
    } finally {
      client.release();
    }
  }) as Database["transaction"];
  return {
    db,
    pool,
    exec: async (sqlText) => {
      await pool.query(sqlText);
    },
    migrate: (folder = MIGRATIONS_FOLDER) => migrate(drizzle({ client: pool }), { migrationsFolder: folder }),
    close: () => pool.end(),
  };
}
