import type { NodePostgresHandle } from "./node-postgres.ts";
import type { PgliteHandle } from "./pglite.ts";

export type MigratableHandle = PgliteHandle | NodePostgresHandle;

/**
 * Node-side choice of driver: a `postgres://` URL means a real server (local PostgreSQL or Neon's
 * TCP endpoint), no URL means the embedded PGlite (in memory, or persisted in `dataDir`).
 */
export async function openDatabase(options: { url?: string; dataDir?: string } = {}): Promise<MigratableHandle> {
  if (options.url) {
    const { openNodePostgres } = await import("./node-postgres.ts");
    return openNodePostgres(options.url);
  }
  const { openPglite } = await import("./pglite.ts");
  return openPglite(options.dataDir);
}
