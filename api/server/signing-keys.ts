import { generateKeyPairSync } from "node:crypto";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname } from "node:path";
import { type PrivateSigningJwk, parseSigningKeys, privateJwkSchema } from "../lib/tokens/signing-keys.ts";
import { LOCAL_DATA_DIR } from "./local-data.ts";

/** Where `npm start` keeps its generated signing key (a JWT_SIGNING_KEYS value). */
export const LOCAL_SIGNING_KEYS_FILE = `${LOCAL_DATA_DIR}signing-keys.json`;

/** A new private P-256 key as JWT_SIGNING_KEYS holds it. */
export function generateSigningJwk(): PrivateSigningJwk {
  const { privateKey } = generateKeyPairSync("ec", { namedCurve: "P-256" });
  return privateJwkSchema.parse(privateKey.export({ format: "jwk" }));
}

/**
 * Outside production, when JWT_SIGNING_KEYS is not set: a key generated on first use and kept in
 * `file`, so tokens survive restarts of `npm start` without any setup.
 */
export function localSigningKeys(file = LOCAL_SIGNING_KEYS_FILE): PrivateSigningJwk[] {
  try {
    const stored = readFileSync(file, "utf8").trim();
    if (stored) return parseSigningKeys(stored);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "ENOENT") throw error;
  }
  const keys = [generateSigningJwk()];
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, `${JSON.stringify(keys)}\n`, { mode: 0o600 });
  return keys;
}
