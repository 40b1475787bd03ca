import type { z } from "zod";

/** Every missing or invalid setting of an entry, reported together so one restart fixes them all. */
export class SettingsError extends Error {
  constructor(readonly problems: string[]) {
    super(`tierkit cannot start; fix these settings:\n${problems.map((problem) => `  - ${problem}`).join("\n")}`);
    this.name = "SettingsError";
  }
}

/** An empty variable (`FOO=` in a .env or a shell) means unset, as operators expect. */
function withoutEmpty(env: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(env).filter(([, value]) => value !== "" && value !== undefined));
}

export function parseSettings<S extends z.ZodType>(schema: S, env: Record<string, unknown>): z.output<S> {
  const result = schema.safeParse(withoutEmpty(env));
  if (result.success) return result.data;
  throw new SettingsError(
    result.error.issues.map((issue) => {
      const name = issue.path.join(".");
      // A required setting that is absent fails with zod's "expected string, received undefined".
      const absent = issue.code === "invalid_type" && issue.message.endsWith("received undefined");
      const message = absent ? "must be set" : issue.message;
      return `${name}: ${message}`;
    }),
  );
}
