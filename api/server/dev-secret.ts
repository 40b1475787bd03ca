import { randomBytes } from "node:crypto";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname } from "node:path";

/**
 * A secret from the environment, or outside production one generated on first use and kept in
 * `file`, so tokens and sessions survive restarts of `npm start` without any setup.
 */
export function resolveSecret(options: { name: string; value?: string; production: boolean; file: string }): string {
  if (options.value) return options.value;
  if (options.production) throw new Error(`${options.name} must be set when NODE_ENV=production.`);
  try {
    const stored = readFileSync(options.file, "utf8").trim();
    if (stored) return stored;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "ENOENT") throw error;
  }
  const secret = randomBytes(48).toString("base64url");
  mkdirSync(dirname(options.file), { recursive: true });
  writeFileSync(options.file, `${secret}\n`, { mode: 0o600 });
  return secret;
}
