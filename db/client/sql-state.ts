export const UNIQUE_VIOLATION = "23505";
/** The statement met a concurrent change (a guard's 40001, SERIALIZABLE's conflict) and may run again. */
export const SERIALIZATION_FAILURE = "40001";
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

/**
 * Runs `attempt`, again while it fails with a serialization failure, `maxAttempts` times at most:
 * the optimistic changes decide from a read and retry when the batch finds it stale.
 */
export async function retryOnSerializationFailure<T>(maxAttempts: number, attempt: () => Promise<T>): Promise<T> {
  for (let n = 1; ; n++) {
    try {
      return await attempt();
    } catch (error) {
      if (!hasSqlState(error, SERIALIZATION_FAILURE) || n >= maxAttempts) throw error;
    }
  }
}
