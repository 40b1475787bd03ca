import { PGlite } from "@electric-sql/pglite";
import { drizzle } from "drizzle-orm/pglite";
import { migrate } from "drizzle-orm/pglite/migrator";
import * as schema from "../schema.ts";
import { MIGRATIONS_FOLDER } from "./migrations-folder.ts";
import { lockPgliteFolder } from "./pglite-lock.ts";
import type { Database, DatabaseHandle } from "./types.ts";

export interface PgliteHandle extends DatabaseHandle {
  migrate(folder?: string): Promise<void>;
}

/** Embedded Postgres: in memory without a folder, persisted in `dataDir` (by one process at a time) with one. */
export async function openPglite(dataDir?: string): Promise<PgliteHandle> {
  const lock = dataDir ? lockPgliteFolder(dataDir) : undefined;
  let client: PGlite;
  try {
    client = await PGlite.create(dataDir);
  } catch (error) {
    lock?.release();
    throw error;
  }
  const db = drizzle({ client, schema }) as unknown as Database;
  return {
    db,
    exec: async (sqlText) => {
      await client.exec(sqlText);
    },
    migrate: (folder = MIGRATIONS_FOLDER) => migrate(drizzle({ client }), { migrationsFolder: folder }),
    close: async () => {
      try {
        await client.close();
      } finally {
        lock?.release();
      }
    },
  };
}
