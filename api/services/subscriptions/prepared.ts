import type { Database } from "../../../db/client/types.ts";

// Drizzle builds a query's SQL text on every call, and PostgreSQL parses and plans it again each
// time; a named prepared statement does both once (per connection). The subscription page's hot
// reads (the current row, with the seat it may come from, and the active catalog) keep theirs per
// Database: per pool on Node, per request on Workers. On that page it served about half again as many
// requests per second (bench/throughput.ts, measured with and without).
const cache = new WeakMap<Database, Map<string, unknown>>();

export function prepared<T>(db: Database, name: string, build: (db: Database, name: string) => T): T {
  let byName = cache.get(db);
  if (!byName) {
    byName = new Map();
    cache.set(db, byName);
  }
  let query = byName.get(name) as T | undefined;
  if (!query) {
    query = build(db, name);
    byName.set(name, query);
  }
  return query;
}
