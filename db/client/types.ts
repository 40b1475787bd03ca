import type { SQL } from "drizzle-orm";
import type { PgDatabase, PgQueryResultHKT } from "drizzle-orm/pg-core";
import type * as schema from "../schema.ts";

/** Drizzle over any of our drivers (PGlite, node-postgres, Neon): one schema, one query API. */
export type Database = PgDatabase<PgQueryResultHKT, typeof schema>;

export interface DatabaseHandle {
  db: Database;
  /** Runs SQL text that may hold several statements (rollback scripts, test fixtures). */
  exec(sqlText: string): Promise<void>;
  close(): Promise<void>;
}

/** Rows of a raw SQL statement; every driver we use answers `execute` with `{ rows }`. */
export async function queryRows<T>(db: Database, query: SQL): Promise<T[]> {
  const result = (await db.execute(query)) as unknown as { rows: T[] };
  return result.rows;
}
