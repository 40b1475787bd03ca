export const UNIQUE_VIOLATION = "23505";
export const FOREIGN_KEY_VIOLATION = "23503";

/**
 * Whether a driver error carries this SQLSTATE. Drizzle wraps driver errors (the code sits on a
 * `cause`), and the drivers differ in how deep, so the whole cause chain is searched.
 */
export function hasSqlState(error: unknown, code: string): boolean {
  for (let e: unknown = error; e instanceof Object; e = (e as { cause?: unknown }).cause) {
    if ((e as { code?: unknown }).code === code) return true;
  }
  return false;
}
