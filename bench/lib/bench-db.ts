import { randomUUID } from "node:crypto";
import pg from "pg";
import { type NodePostgresHandle, openNodePostgres } from "../../db/client/node-postgres.ts";

export const DEFAULT_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/test";

/** The server the benchmarks run on: DATABASE_URL, or the local PostgreSQL the house rules name. */
export const serverUrl = () => process.env.DATABASE_URL || DEFAULT_DATABASE_URL;

export function databaseUrl(name: string): string {
  const url = new URL(serverUrl());
  url.pathname = `/${name}`;
  return url.toString();
}

export async function adminQuery<T extends pg.QueryResultRow = pg.QueryResultRow>(text: string): Promise<T[]> {
  const client = new pg.Client({ connectionString: serverUrl() });
  await client.connect();
  try {
    return (await client.query<T>(text)).rows;
  } finally {
    await client.end();
  }
}

export interface BenchDatabase {
  name: string;
  url: string;
  drop(): Promise<void>;
}

const freshName = (label: string) => `tierkit_bench_${label}_${randomUUID().replaceAll("-", "").slice(0, 8)}`;

/** A new database, migrated to the latest schema; `template` copies an already seeded one instead. */
export async function createBenchDatabase(label: string, options: { template?: string } = {}): Promise<BenchDatabase> {
  const name = freshName(label);
  await adminQuery(`CREATE DATABASE "${name}"${options.template ? ` TEMPLATE "${options.template}"` : ""}`);
  const url = databaseUrl(name);
  if (!options.template) {
    const handle = openNodePostgres(url, { max: 1 });
    try {
      await handle.migrate();
    } finally {
      await handle.close();
    }
  }
  return { name, url, drop: () => adminQuery(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`).then(() => undefined) };
}

/** Runs `work` against a pool on `url`, closing the pool afterwards. */
export async function withPool<T>(url: string, work: (handle: NodePostgresHandle) => Promise<T>, max = 10): Promise<T> {
  const handle = openNodePostgres(url, { max });
  try {
    return await work(handle);
  } finally {
    await handle.close();
  }
}

export async function serverVersion(): Promise<string> {
  const [row] = await adminQuery<{ server_version: string }>("SHOW server_version");
  return row?.server_version ?? "unknown";
}
