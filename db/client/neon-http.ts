import { neon, neonConfig } from "@neondatabase/serverless";
import { drizzle } from "drizzle-orm/neon-http";
import * as schema from "../schema.ts";
import { renderSql, setBatchRunner } from "./batch.ts";
import { type NeonOptions, openNeon } from "./neon.ts";
import type { Database, DatabaseHandle } from "./types.ts";

export interface NeonHttpOptions extends NeonOptions {
  /**
   * Local development only: `host:port` of scripts/neon-http.ts in front of a plain PostgreSQL.
   * Production leaves it unset and the driver posts to Neon's endpoint for the URL's host.
   */
  fetchEndpoint?: string;
}

/**
 * Drizzle over Neon's HTTP query path: each statement is one request to Neon's proxy, which holds
 * warm connections (no WebSocket, no PostgreSQL startup per Worker request), and a batch
 * (`runBatch`) is one request that Neon runs as a transaction. HTTP has no
 * interactive transactions, so `db.transaction(fn)` (and `exec`, which sends several statements in
 * one text) go to a WebSocket Pool that is opened only when one is first needed and ended by `close`.
 */
export function openNeonHttp(url: string, options: NeonHttpOptions = {}): DatabaseHandle {
  if (options.fetchEndpoint) {
    const endpoint = options.fetchEndpoint;
    neonConfig.fetchEndpoint = () => `http://${endpoint}/sql`;
  }
  const client = neon(url);
  // drizzle's neon-http driver installs the driver's type parsers (timestamps stay text for its
  // column mappers), so rows here, from `db.execute` and from a batch, have the same JS types as on pg.
  const db = drizzle({ client, schema }) as unknown as Database;

  let pool: DatabaseHandle | undefined;
  const interactive = () => {
    pool ??= openNeon(url, options);
    return pool;
  };
  db.transaction = (transaction, config) => interactive().db.transaction(transaction, config);
  setBatchRunner(db, async (statements) => {
    const queries = statements.map((statement) => {
      const { sql, params } = renderSql(statement);
      return client.query(sql, params);
    });
    return (await client.transaction(queries, { isolationLevel: "ReadCommitted" })) as Record<string, unknown>[][];
  });

  return {
    db,
    exec: (sqlText) => interactive().exec(sqlText),
    close: async () => {
      await pool?.close();
    },
  };
}
