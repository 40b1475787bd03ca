import { neonConfig, Pool, type PoolClient } from "@neondatabase/serverless";
import { drizzle } from "drizzle-orm/neon-serverless";
import * as schema from "../schema.ts";
import type { Database, DatabaseHandle } from "./types.ts";

export interface NeonOptions {
  /**
   * Local development only: `host:port` of a WebSocket→TCP relay in front of a plain PostgreSQL.
   * Neon itself speaks WebSocket over TLS, so production leaves this unset.
   */
  wsProxy?: string;
  /** Node has no global WebSocket before v22; workerd has one. */
  webSocketConstructor?: typeof neonConfig.webSocketConstructor;
}

/** Drizzle over Neon's serverless Pool; Workers open one per request and end it in waitUntil. */
export function openNeon(url: string, options: NeonOptions = {}): DatabaseHandle {
  if (options.webSocketConstructor) neonConfig.webSocketConstructor = options.webSocketConstructor;
  if (options.wsProxy) {
    const proxy = options.wsProxy;
    neonConfig.wsProxy = (host, port) => `${proxy}/v1?address=${host}:${port}`;
    neonConfig.useSecureWebSocket = false;
    neonConfig.pipelineTLS = false;
    neonConfig.pipelineConnect = false;
  }
  const pool = new Pool({ connectionString: url });
  pool.on("error", () => {});
  // As with node-postgres: a client checked out mid-transaction when the connection drops emits
  // "error" with no listener; the query already fails with it, so the event must not escape too.
  pool.on("connect", (client: PoolClient) => client.on("error", () => {}));
  const db = drizzle({ client: pool, schema }) as unknown as Database;
  return {
    db,
    exec: async (sqlText) => {
      await pool.query(sqlText);
    },
    close: () => pool.end(),
  };
}
