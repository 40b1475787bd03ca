import type pg from "pg";

/**
 * Runs `load` in one transaction with the secondary indexes of `tables` dropped and rebuilt after:
 * one sorted build per index is far faster than a million random inserts into each. Constraint
 * indexes (primary keys) stay, since foreign keys depend on them. Foreign-key triggers are off for
 * the load (replica role): the seeders generate every reference consistently, and users and
 * subscriptions reference each other, which row-by-row checks could not satisfy in one pass.
 */
export async function bulkLoad(client: pg.ClientBase, tables: string[], load: () => Promise<void>): Promise<void> {
  await client.query("BEGIN");
  try {
    await client.query("SET LOCAL session_replication_role = replica");
    await client.query("SET LOCAL maintenance_work_mem = '512MB'");
    const { rows: indexes } = await client.query<{ indexname: string; indexdef: string }>(
      `SELECT i.indexname, i.indexdef FROM pg_indexes i
       WHERE i.schemaname = 'public' AND i.tablename = ANY($1::text[])
         AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conname = i.indexname)`,
      [tables],
    );
    for (const index of indexes) await client.query(`DROP INDEX "${index.indexname}"`);
    await load();
    for (const index of indexes) await client.query(index.indexdef);
    await client.query("COMMIT");
  } catch (error) {
    await client.query("ROLLBACK");
    throw error;
  }
  await client.query(`VACUUM ANALYZE ${tables.join(", ")}`);
}
