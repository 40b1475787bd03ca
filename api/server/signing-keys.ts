import { generateKeyPairSync } from "node:crypto";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname } from "node:path";
import { type PrivateSigningJwk, privateJwkSchema } from "../lib/tokens/signing-keys.ts";
import { type TokenSettings, tokenSettings } from "../lib/tokens/token-settings.ts";
import { LOCAL_DATA_DIR } from "./local-data.ts";

/** Where `npm start` keeps its generated signing key (a JWT_SIGNING_KEYS value). */
export const LOCAL_SIGNING_KEYS_FILE = `${LOCAL_DATA_DIR}signing-keys.json`;

/** A new private P-256 key as JWT_SIGNING_KEYS holds it. */
export function generateSigningJwk(): PrivateSigningJwk {
  const { privateKey } = generateKeyPairSync("ec", { namedCurve: "P-256" });
  return privateJwkSchema.parse(privateKey.export({ format: "jwk" }));
}

/**
 * JWT_SIGNING_KEYS from the environment, or outside production a key generated on first use and
 * kept in `file`, so tokens survive restarts of `npm start` without any setup.
 */
export function resolveSigningKeys(options: { value?: string; production: boolean; file: string }): string {
  if (options.value) return options.value;
  if (options.production) {
    throw new Error("JWT_SIGNING_KEYS must be set when NODE_ENV=production (a JSON array of private EC P-256 JWKs).");
  }
  try {
    const stored = readFileSync(options.file, "utf8").trim();
    if (stored) return stored;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "ENOENT") throw error;
  }
  const keys = JSON.stringify([generateSigningJwk()]);
  mkdirSync(dirname(options.file), { recursive: true });
  writeFileSync(options.file, `${keys}\n`, { mode: 0o600 });
  return keys;
}

/** The token settings of the Node entry: JWT_SIGNING_KEYS (or the local key), JWT_SECRET, ACCESS_TOKEN_TTL. */
export function tokenSettingsFromEnv(env: Record<string, string | undefined>, production: boolean, file = LOCAL_SIGNING_KEYS_FILE): TokenSettings {
  const signingKeys = resolveSigningKeys({ value: env.JWT_SIGNING_KEYS, production, file });
  return tokenSettings({ JWT_SIGNING_KEYS: signingKeys, JWT_SECRET: env.JWT_SECRET, ACCESS_TOKEN_TTL: env.ACCESS_TOKEN_TTL });
}
