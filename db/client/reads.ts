import { Column, getTableColumns, is, type SQL, sql, type Table } from "drizzle-orm";
import { runBatch } from "./batch.ts";
import { type Database, queryRows } from "./types.ts";

export type Row = Record<string, unknown>;

/**
 * One statement and what its rows mean. Reads that need nothing from each other's answers can share
 * a batch (`readBatch`: one round trip on the Worker) or run alone (`read`). The statement runs as
 * raw SQL, so its rows come back as the driver sends them and `decode` makes them what drizzle would.
 */
export interface Read<T> {
  statement: SQL;
  decode(rows: Row[]): T;
}

export async function read<T>(db: Database, query: Read<T>): Promise<T> {
  return query.decode(await queryRows<Row>(db, query.statement));
}

type Answers<R> = { [K in keyof R]: R[K] extends Read<infer T> ? T : never };

/**
 * The reads in one batch, after `before`: statements whose rows nobody reads, such as a guard that
 * raises to refuse the whole batch before the reads run.
 */
export async function readBatch<R extends Read<unknown>[]>(
  db: Database,
  reads: [...R],
  before: SQL[] = [],
): Promise<Answers<R>> {
  const answers = await runBatch(db, [...before, ...reads.map((query) => query.statement)]);
  return reads.map((query, i) => query.decode(answers[before.length + i] ?? [])) as Answers<R>;
}

/** A selected field: a column (decoded as drizzle decodes it) or an expression (its value as sent). */
export type Fields = Record<string, Column | SQL>;

type FieldData<F> = F extends Column
  ? F["_"]["notNull"] extends true
    ? F["_"]["data"]
    : F["_"]["data"] | null
  : F extends SQL<infer T>
    ? T
    : never;

export type FieldsRow<F extends Fields> = { [K in keyof F]: FieldData<F[K]> };

/**
 * `fields` for a drizzle select whose SQL runs raw: each one selected under its own key
 * (`… AS "key"`), so a row keyed by name holds every field even where two tables share a column name.
 */
export function selectedAs(fields: Fields): Record<string, SQL.Aliased> {
  return Object.fromEntries(Object.entries(fields).map(([key, field]) => [key, sql`${field}`.as(key)]));
}

export function decodeFields<F extends Fields>(fields: F, row: Row): FieldsRow<F> {
  const decoded: Row = {};
  for (const [key, field] of Object.entries(fields)) {
    const value = row[key] ?? null;
    decoded[key] = value !== null && is(field, Column) ? field.mapFromDriverValue(value) : value;
  }
  return decoded as FieldsRow<F>;
}

/**
 * A whole row selected as `to_jsonb(table)`, decoded column by column as drizzle decodes them; null
 * when a LEFT JOIN found none.
 */
export function rowFromJson<T extends Table>(table: T, json: unknown): T["$inferSelect"] | null {
  if (json === null || json === undefined) return null;
  const source = (typeof json === "string" ? JSON.parse(json) : json) as Row;
  const decoded: Row = {};
  for (const [key, column] of Object.entries(getTableColumns(table))) {
    const value = source[column.name] ?? null;
    decoded[key] = value === null ? null : column.mapFromDriverValue(value);
  }
  return decoded as T["$inferSelect"];
}
