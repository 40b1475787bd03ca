import { randomUUID } from "node:crypto";
import { cpSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import pg from "pg";
import { MIGRATIONS_FOLDER } from "../../db/client/migrations-folder.ts";
import { openNodePostgres } from "../../db/client/node-postgres.ts";
import type { MigratableHandle } from "../../db/client/open.ts";
import { openPglite } from "../../db/client/pglite.ts";
import { SNAPSHOT_ENV } from "./pglite-snapshot.global.ts";

export type TestDatabase = MigratableHandle & {
  kind: "pglite" | "postgres";
  /** Connection URL of this test's own database (PostgreSQL only). */
  url?: string;
};

export const usingPostgres = Boolean(process.env.DATABASE_URL);

async function adminQuery(sqlText: string): Promise<void> {
  const client = new pg.Client({ connectionString: process.env.DATABASE_URL });
  await client.connect();
  try {
    await client.query(sqlText);
  } finally {
    await client.end();
  }
}

/**
 * A fresh database for one test file: in-memory PGlite by default, or a database of its own on the
 * server named by DATABASE_URL, dropped again by `close()`.
 */
export async function createTestDatabase(options: { migrate?: boolean; max?: number } = {}): Promise<TestDatabase> {
  const migrate = options.migrate ?? true;
  if (!usingPostgres) {
    // The migrated snapshot of this run (pglite-snapshot.global.ts), when the run made one.
    const snapshotFile = migrate ? process.env[SNAPSHOT_ENV] : undefined;
    const handle = await openPglite(undefined, snapshotFile ? new Blob([readFileSync(snapshotFile)]) : undefined);
    if (migrate && !snapshotFile) await handle.migrate();
    return Object.assign(handle, { kind: "pglite" as const });
  }
  const name = `tierkit_test_${randomUUID().replaceAll("-", "").slice(0, 16)}`;
  await adminQuery(`CREATE DATABASE "${name}"`);
  const url = new URL(process.env.DATABASE_URL as string);
  url.pathname = `/${name}`;
  const handle = openNodePostgres(url.toString(), { max: options.max ?? 25 });
  if (migrate) await handle.migrate();
  const close = handle.close;
  return Object.assign(handle, {
    kind: "postgres" as const,
    url: url.toString(),
    close: async () => {
      await close();
      await adminQuery(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
    },
  });
}

/** A copy of the migrations folder whose journal stops after the first `count` migrations. */
export function migrationsUpTo(count: number): string {
  const dir = mkdtempSync(join(tmpdir(), "tierkit-migrations-"));
  cpSync(MIGRATIONS_FOLDER, dir, { recursive: true });
  const journalPath = join(dir, "meta", "_journal.json");
  const journal = JSON.parse(readFileSync(journalPath, "utf8")) as { entries: unknown[] };
  journal.entries = journal.entries.slice(0, count);
  writeFileSync(journalPath, JSON.stringify(journal));
  return dir;
}
