import { PGlite } from "@electric-sql/pglite";
import { drizzle } from "drizzle-orm/pglite";
import { migrate } from "drizzle-orm/pglite/migrator";
import * as schema from "../schema.ts";
import { MIGRATIONS_FOLDER } from "./migrations-folder.ts";
import { lockPgliteFolder } from "./pglite-lock.ts";
import type { Database, DatabaseHandle } from "./types.ts";

export interface PgliteHandle extends DatabaseHandle {
  migrate(folder?: string): Promise<void>;
  /** The data directory as it is now (dumpDataDir, uncompressed), to open another database from. */
  snapshot(): Promise<Blob>;
}

/**
 * Embedded Postgres: in memory without a folder, persisted in `dataDir` (by one process at a time) with
 * one. `snapshot`, a data directory dumped by PGlite's dumpDataDir, starts it from that state instead
 * of an empty cluster (a fresh one costs seconds of initdb; the test suite starts from a migrated copy).
 */
export async function openPglite(dataDir?: string, snapshot?: Blob): Promise<PgliteHandle> {
  const lock = dataDir ? lockPgliteFolder(dataDir) : undefined;
  let client: PGlite;
  try {
    client = await PGlite.create({ dataDir, loadDataDir: snapshot });
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
    snapshot: () => client.dumpDataDir("none"),
    close: async () => {
      try {
        await client.close();
      } finally {
        lock?.release();
      }
    },
  };
}
