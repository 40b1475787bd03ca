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

export const MIGRATIONS_FOLDER = new URL("../migrations", import.meta.url).pathname;
