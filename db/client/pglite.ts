import { PGlite } from "@electric-sql/pglite";
import { drizzle } from "drizzle-orm/pglite";
import { migrate } from "drizzle-orm/pglite/migrator";
import * as schema from "../schema.ts";
import { MIGRATIONS_FOLDER } from "./migrations-folder.ts";
import type { Database, DatabaseHandle } from "./types.ts";

export interface PgliteHandle extends DatabaseHandle {
  migrate(folder?: string): Promise<void>;
}

/** Embedded Postgres: in memory without a folder, persisted in `dataDir` with one. */
export async function openPglite(dataDir?: string): Promise<PgliteHandle> {
  const client = await PGlite.create(dataDir);
  const db = drizzle({ client, schema }) as unknown as Database;
  return {
    db,
    exec: async (sqlText) => {
      await client.exec(sqlText);
    },
    migrate: (folder = MIGRATIONS_FOLDER) => migrate(drizzle({ client }), { migrationsFolder: folder }),
    close: () => client.close(),
  };
}
