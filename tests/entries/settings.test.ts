import { spawnSync } from "node:child_process";
import { describe, expect, it } from "vitest";
import { SettingsError } from "../../api/lib/settings/parse.ts";
import { apiSettingsFromEnv } from "../../api/server/settings.ts";
import { generateSigningJwk } from "../../api/server/signing-keys.ts";
import { workerSettings } from "../../api/worker-settings.ts";
import { parseStartSettings } from "../../scripts/start-settings.ts";

const LONG = "x".repeat(32);
const KEYS = JSON.stringify([generateSigningJwk()]);
const production = {
  NODE_ENV: "production",
  JWT_SIGNING_KEYS: KEYS,
  SESSION_SECRET: LONG,
  ADMIN_PASSWORD: "twelve-chars",
};

function problemsOf(parse: () => unknown): string[] {
  try {
    parse();
  } catch (error) {
    if (error instanceof SettingsError) return error.problems;
    throw error;
  }
  throw new Error("expected a SettingsError");
}

describe("settings parsed at start", () => {
  it("lists every missing or invalid setting of npm start in one message", () => {
    const problems = problemsOf(() =>
      parseStartSettings({
        NODE_ENV: "production",
        PORT: "http",
        TRUST_PROXY: "everyone",
        APP_ORIGIN: "https://app.example.com/path",
        SESSION_SECRET: "short",
      }),
    );
    expect(problems).toEqual([
      "PORT: must be a port number (0-65535)",
      expect.stringMatching(
        /^JWT_SIGNING_KEYS: must be set when NODE_ENV=production \(a JSON array of private EC P-256 JWKs/,
      ),
      expect.stringMatching(/^ADMIN_PASSWORD: must be set when NODE_ENV=production .*openssl rand -base64 48/),
      'TRUST_PROXY: must be "none", "cloudflare" or a comma-separated list of IP addresses (not addresses: everyone)',
      "APP_ORIGIN: must be an origin only (scheme, host, port), no path",
      "SESSION_SECRET: must be at least 32 bytes when NODE_ENV=production (it is 5); generate one with `openssl rand -base64 48`",
    ]);
  });

  it("refuses in production a JWT_SECRET or WEB_API_SECRET under 32 bytes and an ADMIN_PASSWORD under 12 characters", () => {
    const problems = problemsOf(() =>
      apiSettingsFromEnv({
        ...production,
        JWT_SECRET: "x".repeat(31),
        WEB_API_SECRET: "short",
        ADMIN_PASSWORD: "eleven-char",
      }),
    );
    expect(problems).toEqual([
      expect.stringMatching(
        /^JWT_SECRET: must be at least 32 bytes .*\(it is 31\); generate one with `openssl rand -base64 48`$/,
      ),
      expect.stringMatching(/^ADMIN_PASSWORD: must be at least 12 characters .*openssl rand -base64 48/),
      expect.stringMatching(/^WEB_API_SECRET: must be at least 32 bytes/),
    ]);
  });

  it("accepts production settings at the minimums and reads TRUST_PROXY, APP_ORIGIN and the admin opt-in", () => {
    const options = apiSettingsFromEnv({
      ...production,
      TRUST_PROXY: "10.0.0.1, ::1",
      APP_ORIGIN: "https://app.example.com/",
      ADMIN_PROMOTE_EXISTING: "true",
      CORS_ORIGINS: "",
    });
    expect(options).toMatchObject({
      hostname: "0.0.0.0",
      trustProxy: { kind: "addresses", addresses: ["10.0.0.1", "::1"] },
      appOrigin: "https://app.example.com",
      accounts: { admin: { password: "twelve-chars" }, demoMember: false, promoteExisting: true },
      corsOrigins: undefined,
    });
    expect(apiSettingsFromEnv({ JWT_SIGNING_KEYS: KEYS, JWT_SECRET: "short-is-fine-on-a-laptop" }).trustProxy).toEqual({
      kind: "none",
    });
  });

  it("parses the Worker's bindings with Cloudflare trusted by default and every problem listed", () => {
    expect(workerSettings({ DATABASE_URL: "postgres://u@h/db", JWT_SIGNING_KEYS: KEYS }).TRUST_PROXY).toEqual({
      kind: "cloudflare",
    });
    expect(
      problemsOf(() => workerSettings({ DATABASE_URL: "mysql://h/db", JWT_SECRET: "short", CORS_ORIGINS: "nope" })),
    ).toEqual([
      "DATABASE_URL: must be a postgres:// or postgresql:// connection URL",
      expect.stringMatching(/^JWT_SIGNING_KEYS: must be set \(a JSON array/),
      expect.stringMatching(/^JWT_SECRET: must be at least 32 bytes/),
      "CORS_ORIGINS.0: must be an origin such as https://app.example.com",
    ]);
  });

  it("the Node entry refuses to start with the message and exit code 1", () => {
    const run = spawnSync(process.execPath, ["--import", "tsx", "api/node.ts"], {
      env: { PATH: process.env.PATH, NODE_ENV: "production", JWT_SECRET: "short", ADMIN_PASSWORD: "short", PORT: "0" },
      encoding: "utf8",
      timeout: 30_000,
    });
    expect(run.status).toBe(1);
    expect(run.stderr).toContain("tierkit cannot start; fix these settings:");
    expect(run.stderr).toContain("  - JWT_SIGNING_KEYS: must be set when NODE_ENV=production");
    expect(run.stderr).toContain("  - JWT_SECRET: must be at least 32 bytes when NODE_ENV=production (it is 5)");
    expect(run.stderr).toContain("  - ADMIN_PASSWORD: must be at least 12 characters");
  });
});
