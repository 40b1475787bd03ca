import type { Logger } from "drizzle-orm/logger";
import { BATCH_ISOLATION } from "../../db/client/batch.ts";

export interface QueryCount {
  /** Statements other than transaction control. */
  statements: number;
  /** Statements sent outside any transaction. */
  outside: number;
  /** Interactive transactions (db.transaction): on the Worker each opens a WebSocket connection. */
  transactions: number;
  /** runBatch batches: on the Worker each is one HTTP request, whatever it holds. */
  batches: number;
  /**
   * What a request waits for on the Worker: a statement outside a transaction or a whole batch is
   * one; an interactive transaction is its BEGIN, each statement and its COMMIT.
   */
  roundTrips: number;
  sql: { text: string; params: unknown[] }[];
}

const CONTROL = /^\s*(begin|commit|rollback|savepoint|release)\b/i;
// runBatch's fallback (pg, PGlite) opens its transaction with an explicit isolation level, which is
// how a batch is told apart from an interactive transaction here.
const BATCH_BEGIN = new RegExp(`^\\s*begin\\s+isolation\\s+level\\s+${BATCH_ISOLATION}\\s*$`, "i");

/**
 * A Drizzle logger that counts what a request sends. Drizzle logs every statement it runs, the
 * transaction's own BEGIN/COMMIT/ROLLBACK included, so nesting depth tells inside from outside.
 */
export function createQueryCounter(): { logger: Logger; reset(): void; read(): QueryCount } {
  let count: QueryCount;
  let depth = 0;
  // Depth at which the open batch began (0 when none): everything inside it is its one round trip.
  let batchDepth = 0;
  const reset = () => {
    count = { statements: 0, outside: 0, transactions: 0, batches: 0, roundTrips: 0, sql: [] };
    depth = 0;
    batchDepth = 0;
  };
  reset();
  const logger: Logger = {
    logQuery(query, params) {
      count.sql.push({ text: query, params });
      const control = CONTROL.exec(query)?.[1]?.toLowerCase();
      if (batchDepth === 0) count.roundTrips += 1;
      if (control === "begin") {
        depth += 1;
        if (batchDepth === 0 && BATCH_BEGIN.test(query)) {
          count.batches += 1;
          batchDepth = depth;
        } else if (batchDepth === 0) count.transactions += 1;
      } else if (control === "commit" || control === "rollback") {
        if (depth === batchDepth) batchDepth = 0;
        depth = Math.max(0, depth - 1);
      } else if (!control) {
        count.statements += 1;
        if (depth === 0) count.outside += 1;
      }
    },
  };
  return { logger, reset, read: () => ({ ...count, sql: [...count.sql] }) };
}
