import { readdirSync, readFileSync } from "node:fs";
import type { SQL } from "drizzle-orm";
import { queryRows } from "../../db/client/types.ts";
import type { TestDatabase } from "./test-db.ts";

const ROLLBACKS = new URL("../../db/rollback/", import.meta.url);

/** The text of one rollback script, e.g. "0002_down.sql". */
const rollback = (name: string) => readFileSync(new URL(name, ROLLBACKS), "utf8");

/**
 * Rolls back every migration from the newest down to `oldest`, newest first, as the README says to:
 * a later migration may build on an earlier one, and a new rollback file joins every chain by itself.
 */
export async function rollBackThrough(handle: TestDatabase, oldest: number): Promise<void> {
  const names = readdirSync(ROLLBACKS)
    .filter((name) => /^\d{4}_down\.sql$/.test(name) && Number(name.slice(0, 4)) >= oldest)
    .sort()
    .reverse();
  for (const name of names) await handle.exec(rollback(name));
}

/** The number in column `n` of the query's first row. */
export const countIn = async (handle: TestDatabase, query: SQL) =>
  Number((await queryRows<{ n: number | string }>(handle.db, query))[0]?.n);
