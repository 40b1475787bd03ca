import { DatabaseError } from "pg-protocol";
import type { StatementOutcome } from "./pg-connection.ts";
import { RequestError } from "./request.ts";

export interface Answer {
  status: number;
  body: unknown;
}

/** "INSERT 0 3" → INSERT, 3; "SELECT 2" → SELECT, 2; "CREATE TABLE" → CREATE, null (as Neon splits it). */
function commandOf(tag: string): { command: string; rowCount: number | null } {
  const space = tag.indexOf(" ");
  if (space < 0) return { command: tag, rowCount: null };
  const command = tag.slice(0, space);
  const rest = tag.slice(space + 1);
  const count = command === "INSERT" ? rest.split(" ")[1] : rest;
  return { command, rowCount: count !== undefined && /^\d+$/.test(count) ? Number(count) : null };
}

/** One statement's result as Neon's endpoint writes it with raw text output. */
export function resultOf(outcome: StatementOutcome, arrayMode: boolean) {
  const { fields, rows } = outcome;
  return {
    ...commandOf(outcome.commandTag),
    rows: arrayMode ? rows : rows.map((row) => Object.fromEntries(fields.map((field, i) => [field.name, row[i]]))),
    fields,
    rowAsArray: arrayMode,
  };
}

/**
 * Errors as Neon answers them: PostgreSQL's with every field and status 400 (the driver copies the
 * fields onto its NeonDbError, so `code` is the SQLSTATE), a refused request 400 with a message,
 * anything else (PostgreSQL unreachable, the connection lost) 500, which the driver reports as a server error.
 */
export function errorAnswer(error: unknown): Answer {
  if (error instanceof DatabaseError) {
    return {
      status: 400,
      body: {
        message: error.message,
        code: error.code ?? null,
        detail: error.detail ?? null,
        hint: error.hint ?? null,
        position: error.position ?? null,
        internalPosition: error.internalPosition ?? null,
        internalQuery: error.internalQuery ?? null,
        severity: error.severity ?? null,
        where: error.where ?? null,
        table: error.table ?? null,
        column: error.column ?? null,
        schema: error.schema ?? null,
        dataType: error.dataType ?? null,
        constraint: error.constraint ?? null,
        file: error.file ?? null,
        line: error.line ?? null,
        routine: error.routine ?? null,
      },
    };
  }
  const message = error instanceof Error ? error.message : String(error);
  if (error instanceof RequestError) return { status: 400, body: { message } };
  return { status: 500, body: { message: `PostgreSQL could not run the request: ${message}` } };
}
