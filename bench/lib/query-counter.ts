import type { Logger } from "drizzle-orm/logger";

export interface QueryCount {
  /** Statements other than transaction control. */
  statements: number;
  /** Statements sent outside any transaction. */
  outside: number;
  transactions: number;
  /** Everything sent, BEGIN and COMMIT included: what a request waits for on a remote database. */
  roundTrips: number;
  sql: { text: string; params: unknown[] }[];
}

const CONTROL = /^\s*(begin|commit|rollback|savepoint|release)\b/i;

/**
 * A Drizzle logger that counts what a request sends. Drizzle logs every statement it runs, the
 * transaction's own BEGIN/COMMIT/ROLLBACK included, so nesting depth tells inside from outside.
 */
export function createQueryCounter(): { logger: Logger; reset(): void; read(): QueryCount } {
  let count: QueryCount;
  let depth = 0;
  const reset = () => {
    count = { statements: 0, outside: 0, transactions: 0, roundTrips: 0, sql: [] };
    depth = 0;
  };
  reset();
  const logger: Logger = {
    logQuery(query, params) {
      count.roundTrips += 1;
      count.sql.push({ text: query, params });
      const control = CONTROL.exec(query)?.[1]?.toLowerCase();
      if (control === "begin") {
        count.transactions += 1;
        depth += 1;
      } else if (control === "commit" || control === "rollback") {
        depth = Math.max(0, depth - 1);
      } else if (!control) {
        count.statements += 1;
        if (depth === 0) count.outside += 1;
      }
    },
  };
  return { logger, reset, read: () => ({ ...count, sql: [...count.sql] }) };
}
