import { execFile } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { afterAll, describe, expect, it } from "vitest";
import { SettingsError } from "../../api/lib/settings/parse.ts";
import { apiSettingsFromEnv } from "../../api/server/settings.ts";
import { localSigningKeys } from "../../api/server/signing-keys.ts";
import { startApiServer } from "../../api/server/start-api-server.ts";
import { TEST_PASSWORD } from "../support/test-app.ts";
import { createTestDatabase, usingPostgres } from "../support/test-db.ts";

// The end-to-end check of the issue: a token issued by the Node entry as `npm start` runs it (with
// the signing key it generates and keeps locally) verifies with a plain jose script given only the
// JWKS URL, also after a restart.
const run = promisify(execFile);
const SCRIPT = fileURLToPath(new URL("../../scripts/verify-token.ts", import.meta.url));
const dir = mkdtempSync(join(tmpdir(), "tierkit-keys-"));
const keyFile = join(dir, "signing-keys.json");
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const verify = (jwksUrl: string, token: string) =>
  run(process.execPath, ["--import", "tsx", SCRIPT, jwksUrl, token], { timeout: 20_000 });

async function start(databaseUrl: string | undefined) {
  return startApiServer({
    port: 0,
    hostname: "127.0.0.1",
    databaseUrl,
    tokens: { signingKeys: localSigningKeys(keyFile), accessTokenTtlSeconds: 900 },
    accounts: { admin: { email: "admin@tierkit.local", password: "admin-password-for-tests" }, demoMember: false },
    log: () => {},
    cronIntervalMs: 60 * 60 * 1000,
  });
}

describe(`a token from the Node entry (${usingPostgres ? "PostgreSQL" : "PGlite"})`, () => {
  it("verifies with scripts/verify-token.ts given only the JWKS URL, before and after a restart", async () => {
    const database = usingPostgres ? await createTestDatabase({ migrate: false }) : undefined;
    let api = await start(database?.url);
    try {
      expect(statSync(keyFile).mode & 0o777).toBe(0o600);
      expect(JSON.parse(readFileSync(keyFile, "utf8"))[0]).toMatchObject({
        kty: "EC",
        crv: "P-256",
        d: expect.any(String),
      });
      const signup = await fetch(`${api.url}/api/auth/signup`, {
        method: "POST",
        headers: { "Content-Type": "application/json" },
        body: JSON.stringify({ email: "jose-script@example.com", password: TEST_PASSWORD, display_name: "Jose" }),
      });
      expect(signup.status).toBe(201);
      const { token } = (await signup.json()) as { token: string };

      const { stdout } = await verify(`${api.url}/.well-known/jwks.json`, token);
      const verified = JSON.parse(stdout);
      expect(verified.header.alg).toBe("ES256");
      expect(verified.claims).toMatchObject({
        email: "jose-script@example.com",
        tier_slug: "member",
        ent: { api_access: false },
      });

      await api.close();
      api = await start(database?.url);
      await expect(verify(`${api.url}/.well-known/jwks.json`, token)).resolves.toMatchObject({
        stdout: expect.stringContaining("jose-script"),
      });

      const tampered = `${token.slice(0, -4)}AAAA`;
      await expect(verify(`${api.url}/.well-known/jwks.json`, tampered)).rejects.toMatchObject({ code: 1 });
    } finally {
      await api.close();
      await database?.close();
    }
  });
});

describe("token settings of the Node entry", () => {
  const production = { NODE_ENV: "production", ADMIN_PASSWORD: "twelve-chars" };
  const problemsOf = (env: Record<string, string>) => {
    try {
      apiSettingsFromEnv(env);
    } catch (error) {
      if (error instanceof SettingsError) return error.problems;
      throw error;
    }
    return [];
  };

  it("refuse to start in production without JWT_SIGNING_KEYS, and read ACCESS_TOKEN_TTL", () => {
    expect(problemsOf(production)).toEqual([
      expect.stringMatching(/^JWT_SIGNING_KEYS: must be set when NODE_ENV=production/),
    ]);
    const keys = readFileSync(keyFile, "utf8");
    expect(apiSettingsFromEnv({ ...production, JWT_SIGNING_KEYS: keys, ACCESS_TOKEN_TTL: "300" }).tokens).toMatchObject(
      { accessTokenTtlSeconds: 300 },
    );
    expect(apiSettingsFromEnv({ ...production, JWT_SIGNING_KEYS: keys }).tokens).toMatchObject({
      signingKeys: JSON.parse(keys),
      accessTokenTtlSeconds: 900,
      legacySecret: undefined,
    });
    for (const bad of ["15m", "0", "59", "86401", "1.5"]) {
      expect(problemsOf({ ...production, JWT_SIGNING_KEYS: keys, ACCESS_TOKEN_TTL: bad })).toEqual([
        "ACCESS_TOKEN_TTL: must be whole seconds from 60 to 86400",
      ]);
    }
    expect(problemsOf({ ...production, JWT_SIGNING_KEYS: "[]" })).toEqual([
      "JWT_SIGNING_KEYS: must hold at least one key",
    ]);
    const old = "o".repeat(32);
    expect(apiSettingsFromEnv({ ...production, JWT_SIGNING_KEYS: keys, JWT_SECRET: old }).tokens.legacySecret).toBe(
      old,
    );
  });
});
