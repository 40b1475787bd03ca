import type { SQL } from "drizzle-orm";
import { PgDialect } from "drizzle-orm/pg-core";
import { type Database, queryRows } from "./types.ts";

/**
 * Runs statements in order in one transaction (READ COMMITTED) and answers each one's rows. A
 * statement that fails rolls the whole batch back and rejects with its error. None may depend on
 * an earlier one's answer in TypeScript: that is what lets a driver send them all at once.
 */
export type BatchRunner = (statements: SQL[]) => Promise<Record<string, unknown>[][]>;

/**
 * The fallback names its isolation level even though it is PostgreSQL's default: the batch's
 * semantics then hold whatever default_transaction_isolation says, and the statement counter of
 * `npm run bench` (bench/lib/query-counter.ts) recognises its BEGIN as one batch.
 */
export const BATCH_ISOLATION = "read committed";

const runners = new WeakMap<object, BatchRunner>();
const dialect = new PgDialect();

/** Rendered the way drizzle would send it: text with $n placeholders and its parameters. */
export const renderSql = (statement: SQL) => dialect.sqlToQuery(statement);

/**
 * A driver that can send a whole batch in one round trip (Neon's HTTP `transaction([...])`)
 * registers it here for its Database; the others run the batch as an interactive transaction.
 */
export function setBatchRunner(db: Database, runner: BatchRunner): void {
  runners.set(db, runner);
}

export function runBatch(db: Database, statements: SQL[]): Promise<Record<string, unknown>[][]> {
  const runner = runners.get(db);
  if (runner) return runner(statements);
  return db.transaction(
    async (tx) => {
      const answers: Record<string, unknown>[][] = [];
      for (const statement of statements) answers.push(await queryRows<Record<string, unknown>>(tx, statement));
      return answers;
    },
    { isolationLevel: BATCH_ISOLATION },
  );
}
